using System.Net;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Tests.Features.Visits;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KeyAccounts.Tests.Features.Visits.VisitTestData;

namespace KeyAccounts.Tests.Features.Tasks;

[Collection(AppCollection.Name)]
public sealed class TasksApiTests(TestApp app)
{
    private Task<long> CreateAccountAsync(string owner, Tier tier = Tier.Ordinary, int ageDays = 0) => VisitTestData.CreateAccountAsync(app, owner, tier, ageDays);

    [Fact]
    public async Task CreateTask_DueBeforeCreation_Returns400AndWritesNothing()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var body = await (await rep.PostJsonAsync("/api/v1/tasks", new { accountId, title = "回访", dueOn = Day(Today.AddDays(-1)) }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").TryGetProperty("dueOn", out _));
        await using var db = app.Db();
        Assert.False(await db.FollowUpTasks.AnyAsync(t => t.AccountId == accountId));
    }

    [Fact]
    public async Task Tasks_CreateUpdateComplete_FollowTheRules()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var created = await (await rep.PostJsonAsync("/api/v1/tasks", new { accountId, title = "报价", dueOn = Day(Today.AddDays(3)) })).ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(app.UserIds["rep"], created.GetProperty("ownerId").GetString());

        var stale = await rep.PutJsonAsync($"/api/v1/tasks/{id}", new { title = "报价单", dueOn = Day(Today.AddDays(4)), ownerId = app.UserIds["rep2"], version = 9 });
        await stale.ExpectAsync(HttpStatusCode.PreconditionFailed);
        var updated = await (await rep.PutJsonAsync($"/api/v1/tasks/{id}", new { title = "报价单", dueOn = Day(Today.AddDays(4)), ownerId = app.UserIds["rep2"], version = 1 }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(app.UserIds["rep2"], updated.GetProperty("ownerId").GetString());

        using var rep2 = await app.ClientAsync("rep2");
        // rep2 owns the task though not the account: the task reaches its owner, who completes it.
        var done = await (await rep2.PostAsync($"/api/v1/tasks/{id}/complete", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Done", done.GetProperty("status").GetString());
        await (await rep2.GetAsync($"/api/v1/accounts/{accountId}")).ExpectAsync(HttpStatusCode.NotFound);

        var mine = await (await rep.GetAsync($"/api/v1/tasks?accountId={accountId}&status=Done")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, mine.GetProperty("items")[0].GetProperty("id").GetInt64());
    }
}
