using System.Security.Cryptography;
using KeyAccounts.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Organisation;

/// <summary>A fresh installation gets the roles, a company department and its first administrator.</summary>
public static class Bootstrap
{
    public static async Task EnsureAdministratorAsync(IServiceProvider services, IConfiguration configuration, ILogger logger)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));

        var db = services.GetRequiredService<AppDb>();
        var company = await db.Departments.OrderBy(d => d.Id).FirstOrDefaultAsync(d => d.ParentId == null);
        if (company is null)
        {
            company = new Department { Name = "总公司" };
            db.Departments.Add(company);
            await db.SaveChangesAsync();
            company.Path = $"/{company.Id}/";
            await db.SaveChangesAsync();
        }

        var users = services.GetRequiredService<UserManager<AppUser>>();
        if (await users.Users.AnyAsync()) return;

        var userName = configuration["Bootstrap:AdminUser"] is { Length: > 0 } n ? n : "admin";
        var configured = configuration["Bootstrap:AdminPassword"];
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        var admin = new AppUser { UserName = userName, DisplayName = "Administrator", DepartmentId = company.Id };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
            throw new InvalidOperationException("The first administrator could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(admin, Roles.Admin);
        if (string.IsNullOrEmpty(configured))
            Console.WriteLine($"""

                ================================================================
                 KeyAccounts: first administrator created
                   user name: {userName}
                   password:  {password}
                 This password is shown once. Sign in and change it.
                ================================================================

                """);
        logger.LogInformation("Created the first administrator {UserName}", userName);
    }

    private static string GeneratePassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);
}
