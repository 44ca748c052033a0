using System.Net;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Home;
using KeyAccounts.Infrastructure.Auth;
using KeyAccounts.Tests.Infrastructure;

namespace KeyAccounts.Tests.Features.Home;

[Collection(AppCollection.Name)]
public sealed class GetHomeSummaryTests(TestApp app)
{
    private async Task<string> NewRepAsync()
    {
        var userName = TestApp.Unique("home").ToLowerInvariant();
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.PostJsonAsync("/api/v1/users",
            new { userName, displayName = userName, password = TestApp.Password, roles = new[] { "Rep" }, departmentId = app.EastTeamId }))
            .ExpectAsync(HttpStatusCode.Created);
        return body.GetProperty("id").GetString()!;
    }

    private async Task<(long Id, string Name)> CreateAccountAsync(string ownerId, string tier)
    {
        using var manager = await app.ClientAsync("admin");
        var code = TestApp.Unique("H");
        var name = $"首页{code}机电有限公司";
        var body = await (await manager.PostJsonAsync("/api/v1/accounts", new { code, name, type = "Customer", ownerId, tier }))
            .ExpectAsync(HttpStatusCode.Created);
        return (body.GetProperty("id").GetInt64(), name);
    }

    private async Task<GetHomeSummary.Response> SummaryAsync(CurrentUser user)
    {
        await using var db = app.Db();
        return (await GetHomeSummary.HandleAsync(db, user, CancellationToken.None)).Value!;
    }

    [Fact]
    public async Task Summary_Rep_CountsOnlyTheirOwnBookByTier()
    {
        var repId = await NewRepAsync();
        var key = await CreateAccountAsync(repId, "Key");
        await CreateAccountAsync(repId, "Ordinary");
        await CreateAccountAsync(repId, "Ordinary");
        await CreateAccountAsync(app.UserIds["rep2"], "Key");

        var summary = await SummaryAsync(TestApp.As(repId, "r", "Rep"));

        Assert.Equal(DataScope.Own, summary.Scope);
        Assert.Equal(1, summary.Tiers.Single(t => t.Tier == Tier.Key).Count);
        Assert.Equal(2, summary.Tiers.Single(t => t.Tier == Tier.Ordinary).Count);
        Assert.Equal(3, summary.Total);
        Assert.Equal(key.Id, Assert.Single(summary.ThinnestKeyArchives).Id);
        Assert.Equal(3, summary.RecentlyChanged.Count);
    }

    [Fact]
    public async Task Summary_Rep_RecentChangesLeaveOutAccountsTheyCannotSee()
    {
        var repId = await NewRepAsync();
        var mine = await CreateAccountAsync(repId, "Ordinary");
        var foreign = await CreateAccountAsync(app.UserIds["westrep"], "Ordinary");

        var summary = await SummaryAsync(TestApp.As(repId, "r", "Rep"));

        Assert.Contains(summary.RecentlyChanged, c => c.AccountId == mine.Id);
        Assert.DoesNotContain(summary.RecentlyChanged, c => c.AccountId == foreign.Id);
    }

    [Fact]
    public async Task Summary_Manager_SeesTheirDepartmentButNotAnother()
    {
        var east = await CreateAccountAsync(app.UserIds["rep"], "Key");
        var west = await CreateAccountAsync(app.UserIds["westrep"], "Key");

        var summary = await SummaryAsync(TestApp.As(app.UserIds["manager"], "manager", "Manager"));

        Assert.Equal(DataScope.Department, summary.Scope);
        Assert.Contains(summary.RecentlyChanged, c => c.AccountId == east.Id);
        Assert.DoesNotContain(summary.RecentlyChanged, c => c.AccountId == west.Id);
        Assert.DoesNotContain(summary.ThinnestKeyArchives, a => a.Id == west.Id);
    }

    [Fact]
    public async Task Summary_Leader_SeesTheLatestChangeAnywhereAtMostTenAccounts()
    {
        var latest = await CreateAccountAsync(app.UserIds["westrep"], "Major");

        var summary = await SummaryAsync(TestApp.As(app.UserIds["leader"], "leader", "Leader"));

        Assert.Equal(DataScope.All, summary.Scope);
        Assert.Equal(latest.Id, summary.RecentlyChanged[0].AccountId);
        Assert.True(summary.RecentlyChanged.Count <= GetHomeSummary.ListSize);
        Assert.Equal(summary.RecentlyChanged.Count, summary.RecentlyChanged.Select(c => c.AccountId).Distinct().Count());
    }
}
