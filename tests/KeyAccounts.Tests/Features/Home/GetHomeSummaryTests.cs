using System.Net;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Home;
using KeyAccounts.Infrastructure.Auth;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

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

    private async Task ArchiveScoreAsync(long accountId, int score)
    {
        await using var db = app.Db();
        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.ArchiveScore, score));
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
    }

    [Fact]
    public async Task Summary_KeyArchivesOfEveryDepth_ListsOnlyTheThinOnesWeakestFirst()
    {
        var repId = await NewRepAsync();
        var sound = await CreateAccountAsync(repId, "Key");
        var thin = await CreateAccountAsync(repId, "Key");
        var thinnest = await CreateAccountAsync(repId, "Key");
        var borderline = await CreateAccountAsync(repId, "Key");
        await ArchiveScoreAsync(sound.Id, 99);
        await ArchiveScoreAsync(thin.Id, 40);
        await ArchiveScoreAsync(thinnest.Id, 10);
        await ArchiveScoreAsync(borderline.Id, GetHomeSummary.ThinBelow);

        var summary = await SummaryAsync(TestApp.As(repId, "r", "Rep"));

        Assert.Equal([thinnest.Id, thin.Id], summary.ThinnestKeyArchives.Select(a => a.Id));
    }

    [Fact]
    public async Task Summary_EveryKeyArchiveSound_ListsNoneAsThin()
    {
        var repId = await NewRepAsync();
        var only = await CreateAccountAsync(repId, "Key");
        await ArchiveScoreAsync(only.Id, 99);

        var summary = await SummaryAsync(TestApp.As(repId, "r", "Rep"));

        Assert.Equal(1, summary.Tiers.Single(t => t.Tier == Tier.Key).Count);
        Assert.Empty(summary.ThinnestKeyArchives);
    }

    [Fact]
    public async Task Summary_Manager_SeesTheirDepartmentButNotAnother()
    {
        var west = await CreateAccountAsync(app.UserIds["westrep"], "Key");

        var summary = await SummaryAsync(TestApp.As(app.UserIds["manager"], "manager", "Manager"));

        Assert.Equal(DataScope.Department, summary.Scope);
        Assert.True(summary.Total > 0);
        Assert.DoesNotContain(summary.ThinnestKeyArchives, a => a.Id == west.Id);
    }
}
