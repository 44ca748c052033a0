using System.Net;
using System.Text.Json;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KeyAccounts.Tests.Features.Evaluation.EvaluationFixture;

namespace KeyAccounts.Tests.Features.Evaluation;

/// <summary>Before a run, the warning about criteria nobody judged; publishing only on confirmation; reject, return, submit; who is told.</summary>
[Collection(AppCollection.Name)]
public sealed class RunPublicationTests(TestApp app)
{
    private static async Task<JsonElement> GetAsync(HttpClient client, string url, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptLanguage.ParseAdd(language);
        return await (await client.SendAsync(request)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Check_NoJudgementsForThePeriod_WarnsInTheUsersLanguageWithTheRulesEffect()
    {
        var model = await ActiveModelAsync(app, BandModel("Check " + TestApp.Unique("M")));
        var account = await AccountAsync(app, "rep");
        await TransactionsAsync(app, account, new DateOnly(2041, 5, 1), 200_000);
        using var manager = await app.ClientAsync("manager");
        var url = $"/api/v1/evaluation/runs/check?modelId={model}&periodStart=2041-01-01&periodEnd=2041-12-31";

        var zh = await GetAsync(manager, url, "zh-CN");
        Assert.True(zh.GetProperty("hasWarnings").GetBoolean());
        var item = Assert.Single(zh.GetProperty("items").EnumerateArray());
        Assert.Equal("IndustryInfluence", item.GetProperty("criterion").GetString());
        Assert.Equal("Warning", item.GetProperty("severity").GetString());
        Assert.Equal("PopulationMedian", item.GetProperty("rule").GetString());
        Assert.Equal("NoneJudged", item.GetProperty("effect").GetString());
        Assert.Equal(0, item.GetProperty("points").GetDouble());
        var message = item.GetProperty("message").GetString()!;
        // The stated rule (the median) and what it really does with no judgement at all (0 for everyone), in Chinese.
        Assert.Contains("中位数", message);
        Assert.Contains("每个客户在该指标上都记 0", message);
        Assert.Contains("2041-01-01", message);
        Assert.DoesNotContain("judge", message, StringComparison.OrdinalIgnoreCase);

        var en = await GetAsync(manager, url, "en");
        var english = en.GetProperty("items")[0].GetProperty("message").GetString()!;
        Assert.Contains("nobody has been judged", english);
        Assert.Contains("median", english);
        Assert.Contains("every account gets 0", english);

        // The run says what the rule did, in the reader's language, and keeps the gap for screens.
        var run = await RunAsync(app, model, new DateOnly(2041, 1, 1), new DateOnly(2041, 12, 31), "manager");
        var gap = Assert.Single(run.GetProperty("gaps").EnumerateArray());
        Assert.Equal("NoneJudged", gap.GetProperty("effect").GetString());
        var shown = await GetAsync(manager, $"/api/v1/evaluation/runs/{run.GetProperty("id").GetInt64()}", "zh-CN");
        Assert.Contains("均无评分", shown.GetProperty("run").GetProperty("notes").GetString());
        var results = await ResultsAsync(app, run.GetProperty("id").GetInt64(), "manager");
        Assert.Contains("本期无人评分", results.For(account).GetProperty("explanation").GetString());

        // Once someone is judged, the rule is the median of the judgements given: information, not a warning.
        await (await manager.PutJsonAsync("/api/v1/evaluation/judgements",
            new { accountId = account, criterion = "IndustryInfluence", periodStart = "2041-01-01", periodEnd = "2041-12-31", score = 70, reason = "区域龙头" })).ExpectAsync(HttpStatusCode.OK);
        var judged = await GetAsync(manager, url, "zh-CN");
        Assert.False(judged.GetProperty("hasWarnings").GetBoolean());
        var info = judged.GetProperty("items")[0];
        Assert.Equal("Median", info.GetProperty("effect").GetString());
        Assert.Equal(70, info.GetProperty("fill").GetDouble());
        Assert.Contains("中位数，目前为 70", info.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Approve_NotConfirmedOrAnotherSummary_RefusedWithAProblemAndNothingPublished()
    {
        var model = await ActiveModelAsync(app, BandModel("Confirm " + TestApp.Unique("M")));
        var big = await AccountAsync(app, "rep");
        await TransactionsAsync(app, big, new DateOnly(2042, 5, 1), 2_000_000);
        var runId = (await RunAsync(app, model, new DateOnly(2042, 1, 1), new DateOnly(2042, 12, 31))).GetProperty("id").GetInt64();
        using var leader = await app.ClientAsync("leader");

        var refused = await leader.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/approve", new { confirm = false });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var problem = await refused.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("confirm", out _));
        var offered = problem.GetProperty("summaryVersion").GetString();
        await using (var db = app.Db())
        {
            Assert.Equal(RunStatus.Proposed, (await db.EvaluationRuns.SingleAsync(r => r.Id == runId)).Status);
            Assert.Equal(Tier.Ordinary, (await db.Accounts.SingleAsync(a => a.Id == big)).Tier);
        }

        // The summary: the account enters the key accounts, counted under its department and owner.
        var summary = await (await leader.GetAsync($"/api/v1/evaluation/runs/{runId}/publication")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(offered, summary.GetProperty("version").GetString());
        Assert.True(summary.GetProperty("changes").GetProperty("entered").GetInt32() >= 1);
        Assert.Contains(summary.GetProperty("owners").GetProperty("items").EnumerateArray(),
            o => o.GetProperty("id").GetString() == app.UserIds["rep"] && o.GetProperty("changes").GetProperty("entered").GetInt32() >= 1);
        var key = summary.GetProperty("tiers").EnumerateArray().Single(t => t.GetProperty("tier").GetString() == "Key");
        Assert.True(key.GetProperty("entering").GetInt32() >= 1);
        var entering = await (await leader.GetAsync($"/api/v1/evaluation/runs/{runId}/publication/accounts?change=Entered&ownerId={app.UserIds["rep"]}&pageSize=500"))
            .ExpectAsync(HttpStatusCode.OK);
        var row = entering.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("accountId").GetInt64() == big);
        Assert.Equal("Ordinary", row.GetProperty("from").GetString());
        Assert.Equal("Key", row.GetProperty("to").GetString());
        using var manager = await app.ClientAsync("manager");
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync($"/api/v1/evaluation/runs/{runId}/publication")).StatusCode);

        // A confirmation of another summary than today's is refused; the one shown publishes.
        await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/approve", new { confirm = true, summaryVersion = "0000000000000000" }))
            .ExpectAsync(HttpStatusCode.Conflict);
        var published = await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/approve", new { confirm = true, summaryVersion = offered }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Published", published.GetProperty("status").GetString());
        await using (var db = app.Db())
        {
            Assert.Equal(Tier.Key, (await db.Accounts.SingleAsync(a => a.Id == big)).Tier);
            var run = await db.EvaluationRuns.SingleAsync(r => r.Id == runId);
            Assert.Equal(app.UserIds["leader"], run.DecidedById);
        }
    }

    [Fact]
    public async Task ReturnAndReject_StoreTheReasonAuditAndNotifyTheAuthor()
    {
        var model = await ActiveModelAsync(app, BandModel("Decide " + TestApp.Unique("M")));
        var account = await AccountAsync(app, "rep");
        await TransactionsAsync(app, account, new DateOnly(2043, 5, 1), 2_000_000);
        var runId = (await RunAsync(app, model, new DateOnly(2043, 1, 1), new DateOnly(2043, 12, 31), "manager")).GetProperty("id").GetInt64();
        using var leader = await app.ClientAsync("leader");
        using var manager = await app.ClientAsync("manager");
        await using (var db = app.Db())
            Assert.True(await db.Notifications.AnyAsync(n => n.RecipientId == app.UserIds["leader"] && n.Event == NotificationEvent.EvaluationAwaitingApproval
                                                             && n.Link == $"/evaluation/runs/{runId}"));

        var noReason = await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/return", new { reason = " " })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/return", new { reason = "x" })).StatusCode);

        var returned = await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/return", new { reason = "请先补充行业影响力评分" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Returned", returned.GetProperty("status").GetString());
        Assert.Equal("请先补充行业影响力评分", returned.GetProperty("decisionReason").GetString());
        await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/approve", new { confirm = true })).ExpectAsync(HttpStatusCode.Conflict);
        await using (var db = app.Db())
        {
            var run = await db.EvaluationRuns.SingleAsync(r => r.Id == runId);
            Assert.Equal(RunStatus.Returned, run.Status);
            Assert.Equal(app.UserIds["leader"], run.DecidedById);
            Assert.NotNull(run.DecidedAt);
            var told = await db.Notifications.SingleAsync(n => n.RecipientId == app.UserIds["manager"] && n.Event == NotificationEvent.EvaluationDecided
                                                               && n.Link == $"/evaluation/runs/{runId}");
            Assert.Contains("请先补充行业影响力评分", told.Body);
            Assert.Contains("退回", told.Title);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "EvaluationRun" && e.EntityKey == $"run {runId}" && e.UserName == "leader"
                                                             && e.After!.Contains("Returned")));
        }

        // Submitted again, the leaders hear of it again; then it is rejected for good.
        var submitted = await (await manager.PostAsync($"/api/v1/evaluation/runs/{runId}/submit", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Proposed", submitted.GetProperty("status").GetString());
        await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/reject", new { reason = "期间选错" })).ExpectAsync(HttpStatusCode.OK);
        await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/approve", new { confirm = true })).ExpectAsync(HttpStatusCode.Conflict);
        await (await manager.PostAsync($"/api/v1/evaluation/runs/{runId}/submit", null)).ExpectAsync(HttpStatusCode.Conflict);
        await using (var db = app.Db())
        {
            var run = await db.EvaluationRuns.SingleAsync(r => r.Id == runId);
            Assert.Equal(RunStatus.Rejected, run.Status);
            Assert.Equal("期间选错", run.DecisionReason);
            Assert.Equal(2, await db.Notifications.CountAsync(n => n.RecipientId == app.UserIds["leader"] && n.Event == NotificationEvent.EvaluationAwaitingApproval
                                                                   && n.Link == $"/evaluation/runs/{runId}"));
            Assert.Equal(2, await db.Notifications.CountAsync(n => n.RecipientId == app.UserIds["manager"] && n.Event == NotificationEvent.EvaluationDecided
                                                                   && n.Link == $"/evaluation/runs/{runId}"));
            Assert.Equal(Tier.Ordinary, (await db.Accounts.SingleAsync(a => a.Id == account)).Tier);
        }
    }

    [Fact]
    public async Task Publish_NotifiesEachOwnerAndTheirManagerOnceWithTheirChanges()
    {
        // A team of its own: a head and two owners, so the line manager is known and no other test's people are involved.
        var suffix = TestApp.Unique("t").ToLowerInvariant();
        string head, first, second;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KeyAccounts.Data.AppDb>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            async Task<string> UserAsync(string name, string role, int departmentId)
            {
                var user = new AppUser { UserName = name + suffix, DisplayName = name.ToUpperInvariant() + suffix, DepartmentId = departmentId };
                Assert.True((await users.CreateAsync(user, TestApp.Password)).Succeeded);
                await users.AddToRoleAsync(user, role);
                app.UserIds[name + suffix] = user.Id;
                return user.Id;
            }
            var company = await db.Departments.SingleAsync(d => d.Id == app.CompanyId);
            var team = new Department { Name = "评价通知部" + suffix, ParentId = company.Id };
            db.Departments.Add(team);
            await db.SaveChangesAsync();
            team.Path = $"{company.Path}{team.Id}/";
            await db.SaveChangesAsync();
            head = await UserAsync("head", Roles.Manager, team.Id);
            first = await UserAsync("owner1", Roles.Rep, team.Id);
            second = await UserAsync("owner2", Roles.Rep, team.Id);
            team.HeadUserId = head;
            await db.SaveChangesAsync();
        }
        var firstBig = await AccountAsync(app, "owner1" + suffix);
        var firstSmall = await AccountAsync(app, "owner1" + suffix);
        var secondBig = await AccountAsync(app, "owner2" + suffix);
        await TransactionsAsync(app, firstBig, new DateOnly(2044, 5, 1), 2_000_000);
        await TransactionsAsync(app, firstSmall, new DateOnly(2044, 5, 1), 10_000, loss: 60_000);
        await TransactionsAsync(app, secondBig, new DateOnly(2044, 6, 1), 2_000_000);
        var model = await ActiveModelAsync(app, BandModel("Notify " + TestApp.Unique("M")));
        var runId = (await RunAsync(app, model, new DateOnly(2044, 1, 1), new DateOnly(2044, 12, 31))).GetProperty("id").GetInt64();
        using var leader = await app.ClientAsync("leader");
        await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/approve", new { confirm = true })).ExpectAsync(HttpStatusCode.OK);

        await using var check = app.Db();
        var published = await check.Notifications.Where(n => n.Event == NotificationEvent.EvaluationPublished && n.Link == $"/evaluation/runs/{runId}")
            .ToListAsync();
        // One per person, not one per account.
        var toFirst = Assert.Single(published, n => n.RecipientId == first);
        var toSecond = Assert.Single(published, n => n.RecipientId == second);
        var toHead = Assert.Single(published, n => n.RecipientId == head);
        Assert.Contains("您负责的客户：2 个等级变化", toFirst.Body);
        Assert.Contains("普通客户 → 大客户：1 个", toFirst.Body);
        Assert.Contains("普通客户 → 小客户：1 个", toFirst.Body);
        Assert.Contains("您负责的客户：1 个等级变化", toSecond.Body);
        Assert.Contains("您团队的客户：3 个等级变化", toHead.Body);
        Assert.Contains("OWNER1" + suffix + " 2 个", toHead.Body);
        Assert.Contains("OWNER2" + suffix + " 1 个", toHead.Body);
        Assert.Contains("与您相关的 3 个", toHead.Title);
    }
}
