using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Demo;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Demo;

[Collection(DemoDataCollection.Name)]
public sealed class SeedDemoTests(TestApp app)
{
    private async Task<(int Code, string Output)> RunAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var output = new StringWriter();
        var code = await SeedDemo.RunAsync(scope.ServiceProvider, output, CancellationToken.None);
        return (code, output.ToString());
    }

    [Fact]
    public async Task SeedDemo_TwiceOnOneDatabase_LoadsTheCompanyOnceWithEveryRole()
    {
        var (first, firstOutput) = await RunAsync();
        await using var db = app.Db();
        var demoAccounts = db.Accounts.Where(a => a.Code.StartsWith("C0") || a.Code.StartsWith("D0"));
        var accounts = await demoAccounts.CountAsync();
        var contacts = await db.Contacts.CountAsync(c => demoAccounts.Any(a => a.Id == c.AccountId));

        var (second, secondOutput) = await RunAsync();

        Assert.Equal(0, first);
        Assert.Contains(SeedDemo.Password, firstOutput);
        Assert.Equal(0, second);
        Assert.Contains("already", secondOutput);
        Assert.Equal(300, accounts);
        Assert.Equal(accounts, await demoAccounts.CountAsync());
        Assert.InRange(contacts, 300, 3000);
        Assert.Equal(contacts, await db.Contacts.CountAsync(c => demoAccounts.Any(a => a.Id == c.AccountId)));

        var demoUsers = db.Users.Where(u => u.Email!.EndsWith("@huarui-demo.cn"));
        Assert.InRange(await demoUsers.CountAsync(), 20, 30);
        foreach (var role in Roles.All)
        {
            var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleAsync();
            Assert.True(await demoUsers.AnyAsync(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId)), $"no demo user in role {role}");
        }
        Assert.True(await demoAccounts.AnyAsync(a => a.ParentId != null), "no group hierarchy");
        Assert.True(await demoAccounts.CountAsync(a => a.OwnershipChanges.Count > 1) >= 5, "no past ownership transfers");
        Assert.True(await db.AccountShares.AnyAsync(s => demoAccounts.Any(a => a.Id == s.AccountId)), "no shares");
        var scores = await demoAccounts.Where(a => a.Tier == Tier.Key).Select(a => a.ArchiveScore).ToListAsync();
        Assert.True(scores.Max() - scores.Min() >= 40, "archives should range from thin to full");
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "Account" && e.UserName == "seed-demo"), "demo data is audited");
    }
}
