using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Organisation;

/// <param name="Language">The language the user chose ("zh-CN" or "en"; their "locale" claim), null when they read the company's.</param>
public sealed record UserDto(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, int? DepartmentId,
    string? DepartmentName, bool IsActive, bool IsLockedOut, string? Language = null);

/// <summary>The <c>language</c> an administrator may set for a user: one of the app's cultures, by its exact name.</summary>
internal static class LanguageField
{
    public static string? Check(Validation v, string? language)
    {
        if (language is null) return null;
        var known = Texts.Cultures.FirstOrDefault(c => string.Equals(c.Name, language.Trim(), StringComparison.OrdinalIgnoreCase));
        if (known is null) v.Add("language", $"'{language}' is not a language. Languages: {string.Join(", ", Texts.Cultures.Select(c => c.Name))}.");
        return known?.Name;
    }
}

public static class ListUsers
{
    public sealed record Query(string? Search = null, string? Role = null, int? DepartmentId = null, bool? Active = null, int? Page = null, int? PageSize = null);

    public static async Task<Ok<Paged<UserDto>>> HandleAsync([AsParameters] Query q, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var users = db.Users.AsQueryable();
        if (q.Search.SearchText() is { } s) users = users.Where(u => u.UserName!.Contains(s) || u.DisplayName.Contains(s));
        if (q.DepartmentId is { } d) users = users.Where(u => u.DepartmentId == d);
        if (q.Active is { } active) users = users.Where(u => u.IsActive == active);
        if (q.Role.Trimmed() is { } role)
            users = users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
        var now = clock.GetUtcNow();
        var page = await users.OrderBy(u => u.UserName)
            .Select(u => new
            {
                u.Id,
                u.UserName,
                u.DisplayName,
                u.DepartmentId,
                Department = u.Department != null ? u.Department.Name : null,
                u.IsActive,
                u.LockoutEnd,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                Language = db.UserClaims.Where(c => c.UserId == u.Id && c.ClaimType == Texts.LocaleClaim).Select(c => c.ClaimValue).FirstOrDefault(),
            })
            .ToPagedAsync(q.Page, q.PageSize, ct);
        return TypedResults.Ok(new Paged<UserDto>(
            page.Items.Select(u => new UserDto(u.Id, u.UserName!, u.DisplayName, u.Roles, u.DepartmentId, u.Department, u.IsActive,
                u.LockoutEnd is { } end && end > now, u.Language)).ToList(),
            page.Total, page.Page, page.PageSize));
    }
}

public static class CreateUser
{
    public sealed record Request(string? UserName, string? DisplayName, string? Password, IReadOnlyList<string>? Roles, int? DepartmentId,
        string? Language = null);

    public static async Task<Results<Created<UserDto>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Request request, AppDb db, UserManager<AppUser> users, CancellationToken ct)
    {
        var v = new Validation().Require("userName", request.UserName, 100).Require("displayName", request.DisplayName ?? request.UserName, 100);
        if (string.IsNullOrEmpty(request.Password)) v.Add("password", $"password is required.");
        var roles = request.Roles ?? [];
        if (roles.Count == 0) v.Add("roles", $"Give the user at least one role.");
        foreach (var role in roles.Where(r => !Roles.All.Contains(r)))
            v.Add("roles", $"'{role}' is not a role. Roles: {string.Join(", ", Roles.All)}.");
        var departmentId = request.DepartmentId ?? await db.Departments.Where(d => d.ParentId == null).OrderBy(d => d.Id).Select(d => (int?)d.Id).FirstOrDefaultAsync(ct);
        if (departmentId is { } dep && !await db.Departments.AnyAsync(d => d.Id == dep, ct)) v.Add("departmentId", $"There is no department {dep}.");
        var language = LanguageField.Check(v, request.Language);
        if (!v.IsValid) return v.Problem();
        if (await users.FindByNameAsync(request.UserName!.Trim()) is not null)
            return Problems.Conflict("Duplicate user name", $"The user name {request.UserName.Trim()} is taken.");

        var user = new AppUser { UserName = request.UserName.Trim(), DisplayName = (request.DisplayName ?? request.UserName).Trim(), DepartmentId = departmentId };
        var created = await users.CreateAsync(user, request.Password!);
        if (!created.Succeeded)
        {
            foreach (var e in created.Errors) v.Add(e.Code.Contains("Password") ? "password" : "userName", $"{e.Description}");
            return v.Problem();
        }
        await users.AddToRolesAsync(user, roles.Distinct());
        if (language is not null) await UserLanguage.SetAsync(users, user, language);
        var dto = new UserDto(user.Id, user.UserName, user.DisplayName, roles.Distinct().ToList(), departmentId,
            await db.Departments.Where(d => d.Id == departmentId).Select(d => d.Name).FirstOrDefaultAsync(ct), true, false, language);
        return TypedResults.Created($"/api/v1/users/{user.Id}", dto);
    }
}

public static class UpdateUser
{
    public sealed record Request(string? DisplayName, IReadOnlyList<string>? Roles, int? DepartmentId, bool? IsActive, string? NewPassword, bool? Unlock,
        string? Language = null);

    public static async Task<Results<NoContent, NotFound, ValidationProblem>> HandleAsync(
        string id, Request request, AppDb db, UserManager<AppUser> users, CurrentUser current, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return TypedResults.NotFound();
        var v = new Validation().MaxLength("displayName", request.DisplayName, 100);
        foreach (var role in (request.Roles ?? []).Where(r => !Roles.All.Contains(r))) v.Add("roles", $"'{role}' is not a role.");
        if (request.Roles is { Count: 0 }) v.Add("roles", $"Give the user at least one role.");
        if (request.DepartmentId is { } dep && !await db.Departments.AnyAsync(d => d.Id == dep, ct)) v.Add("departmentId", $"There is no department {dep}.");
        if (id == current.Id && (request.IsActive == false || (request.Roles is { } r && !r.Contains(Roles.Admin))))
            v.Add("roles", $"You cannot remove your own administrator rights or deactivate yourself.");
        var language = LanguageField.Check(v, request.Language);
        if (!v.IsValid) return v.Problem();

        if (request.DisplayName.Trimmed() is { } name) user.DisplayName = name;
        if (request.DepartmentId is { } department) user.DepartmentId = department;
        if (request.IsActive is { } active)
        {
            user.IsActive = active;
            // A deactivated user's tokens and cookies end with the new stamp (see RevokedSignIns).
            if (!active) await users.UpdateSecurityStampAsync(user);
        }
        if (request.Unlock == true) await users.SetLockoutEndDateAsync(user, null);
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded) return Validation.Single("user", $"{string.Join(" ", updated.Errors.Select(e => e.Description))}");
        // Their screens follow it from their next sign-in, and their notifications from now on (Notify reads the claim).
        if (language is not null) await UserLanguage.SetAsync(users, user, language);
        if (request.Roles is { } roles)
        {
            var existing = await users.GetRolesAsync(user);
            var removed = existing.Except(roles).ToList();
            var added = roles.Except(existing).Distinct().ToList();
            await users.RemoveFromRolesAsync(user, removed);
            await users.AddToRolesAsync(user, added);
            // Tokens and cookies carry the roles they were issued with: a new stamp ends them, and the user signs in with the new roles.
            if (removed.Count + added.Count > 0) await users.UpdateSecurityStampAsync(user);
        }
        if (!string.IsNullOrEmpty(request.NewPassword))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var reset = await users.ResetPasswordAsync(user, token, request.NewPassword);
            if (!reset.Succeeded) return Validation.Single("newPassword", $"{string.Join(" ", reset.Errors.Select(e => e.Description))}");
        }
        return TypedResults.NoContent();
    }
}
