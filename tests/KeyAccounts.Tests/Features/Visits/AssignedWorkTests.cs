using System.Net;
using System.Text.Json;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KeyAccounts.Tests.Features.Visits.VisitTestData;

namespace KeyAccounts.Tests.Features.Visits;

/// <summary>Work reaches the people assigned to it: attendees and task owners see the visit and the task, not the account's book.</summary>
[Collection(AppCollection.Name)]
public sealed class AssignedWorkTests(TestApp app)
{
    private static List<long> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64())];

    private async Task<(long Account, long Visit)> TechnicalVisitWithEngineerAsync()
    {
        var accountId = await CreateAccountAsync(app, "rep");
        var contactId = await AddContactAsync(app, accountId, "设备科王工");
        using var rep = await app.ClientAsync("rep");
        var visit = await (await rep.PostJsonAsync("/api/v1/visits", new
        {
            accountId,
            level = "Technical",
            plannedOn = Day(Today.AddDays(3)),
            purpose = "减速机振动诊断",
            contactIds = new[] { contactId },
            userIds = new[] { app.UserIds["engineer"] },
        })).ExpectAsync(HttpStatusCode.Created);
        return (accountId, visit.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task GetVisit_EngineerAttendee_SeesVisitAndListsItButNotTheAccount()
    {
        var (accountId, visitId) = await TechnicalVisitWithEngineerAsync();
        using var engineer = await app.ClientAsync("engineer");

        var visit = await (await engineer.GetAsync($"/api/v1/visits/{visitId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(accountId, visit.GetProperty("accountId").GetInt64());
        Assert.StartsWith("拜访", visit.GetProperty("accountName").GetString());
        Assert.Equal("设备科王工", visit.GetProperty("contacts")[0].GetProperty("name").GetString());

        Assert.Contains(visitId, Ids(await (await engineer.GetAsync("/api/v1/visits?mine=true&when=Upcoming&pageSize=100")).ExpectAsync(HttpStatusCode.OK)));
        var listed = await (await engineer.GetAsync($"/api/v1/visits?accountId={accountId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([visitId], Ids(listed));
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        var calendar = await (await engineer.GetAsync($"/api/v1/calendar?from={Day(Today)}&to={Day(Today.AddDays(30))}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(calendar.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "Visit" && i.GetProperty("id").GetInt64() == visitId);
        Assert.Contains($"UID:visit-{visitId}@keyaccounts", await (await engineer.GetAsync($"/api/v1/visits/{visitId}/calendar.ics")).Content.ReadAsStringAsync());

        // The visit, not the book: the account, its archive, contacts and timeline stay closed.
        await (await engineer.GetAsync($"/api/v1/accounts/{accountId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await engineer.GetAsync($"/api/v1/accounts/{accountId}/archive")).ExpectAsync(HttpStatusCode.NotFound);
        await (await engineer.GetAsync($"/api/v1/accounts/{accountId}/contacts")).ExpectAsync(HttpStatusCode.NotFound);
        await (await engineer.GetAsync($"/api/v1/accounts/{accountId}/timeline")).ExpectAsync(HttpStatusCode.NotFound);
        // Attending does not make the engineer the one who records or cancels it.
        await (await engineer.PostJsonAsync($"/api/v1/visits/{visitId}/record", new { visitedOn = Day(Today), actions = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await engineer.PostAsync($"/api/v1/visits/{visitId}/cancel", null)).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task GetVisit_RepNotAttending_Returns404AndListsNothing()
    {
        var (accountId, visitId) = await TechnicalVisitWithEngineerAsync();
        using var rep2 = await app.ClientAsync("rep2");
        await (await rep2.GetAsync($"/api/v1/visits/{visitId}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await rep2.GetAsync($"/api/v1/visits/{visitId}/calendar.ics")).StatusCode);
        var listed = await (await rep2.GetAsync($"/api/v1/visits?accountId={accountId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, listed.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Task_OwnerWithoutTheAccount_SeesCompletesItAndOpensItsVisit()
    {
        var accountId = await CreateAccountAsync(app, "rep");
        using var rep = await app.ClientAsync("rep");
        var visitId = await PlanAsync(rep, accountId, [], "Technical", Today);
        var recorded = await (await rep.PostJsonAsync($"/api/v1/visits/{visitId}/record", new
        {
            visitedOn = Day(Today),
            findings = "轴承温升偏高",
            actions = new[] { new { title = "出具振动分析报告", ownerId = app.UserIds["engineer"], dueOn = Day(Today.AddDays(5)) } },
        })).ExpectAsync(HttpStatusCode.OK);
        var taskId = recorded.GetProperty("taskIds")[0].GetInt64();

        using var engineer = await app.ClientAsync("engineer");
        var mine = await (await engineer.GetAsync("/api/v1/tasks?mine=true&status=Open&pageSize=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(taskId, Ids(mine));
        var task = await (await engineer.GetAsync($"/api/v1/tasks/{taskId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("出具振动分析报告", visitId), (task.GetProperty("title").GetString(), task.GetProperty("visitId").GetInt64()));
        Assert.Equal(accountId, task.GetProperty("accountId").GetInt64());
        Assert.False(string.IsNullOrEmpty(task.GetProperty("accountCode").GetString()));
        var visit = await (await engineer.GetAsync($"/api/v1/visits/{visitId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("轴承温升偏高", visit.GetProperty("findings").GetString());
        var calendar = await (await engineer.GetAsync($"/api/v1/calendar?from={Day(Today)}&to={Day(Today.AddDays(30))}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(calendar.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "Task" && i.GetProperty("id").GetInt64() == taskId);
        await (await engineer.GetAsync($"/api/v1/accounts/{accountId}")).ExpectAsync(HttpStatusCode.NotFound);

        using var rep2 = await app.ClientAsync("rep2");
        await (await rep2.GetAsync($"/api/v1/tasks/{taskId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await rep2.PostAsync($"/api/v1/tasks/{taskId}/complete", null)).ExpectAsync(HttpStatusCode.NotFound);

        var done = await (await engineer.PostAsync($"/api/v1/tasks/{taskId}/complete", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Done", done.GetProperty("status").GetString());
        await using var db = app.Db();
        Assert.Equal(KeyAccounts.Features.Tasks.TaskState.Done, (await db.FollowUpTasks.SingleAsync(t => t.Id == taskId)).Status);
    }

    [Fact]
    public async Task Record_VisitOwnerWithoutTheAccount_RecordsIt()
    {
        var accountId = await CreateAccountAsync(app, "rep");
        using var rep = await app.ClientAsync("rep");
        var visitId = (await (await rep.PostJsonAsync("/api/v1/visits", new
        {
            accountId,
            level = "Technical",
            plannedOn = Day(Today),
            purpose = "现场调试",
            contactIds = Array.Empty<long>(),
            ownerId = app.UserIds["engineer"],
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();

        using var engineer = await app.ClientAsync("engineer");
        await (await engineer.PostJsonAsync($"/api/v1/visits/{visitId}/record", new { visitedOn = Day(Today), findings = "调试完成", actions = Array.Empty<object>() }))
            .ExpectAsync(HttpStatusCode.OK);
        await using var db = app.Db();
        Assert.Equal(KeyAccounts.Features.Visits.VisitStatus.Done, (await db.Visits.SingleAsync(v => v.Id == visitId)).Status);
        Assert.Equal(app.UserIds["engineer"], (await db.FollowUps.SingleAsync(f => f.VisitId == visitId)).UserId);
    }

    [Fact]
    public async Task Assign_VisitAndTask_NotifiesTheAssigneeOnceAndNotTheAssigner()
    {
        var (accountId, visitId) = await TechnicalVisitWithEngineerAsync();
        using var rep = await app.ClientAsync("rep");
        var taskId = (await (await rep.PostJsonAsync("/api/v1/tasks", new { accountId, title = "提供备件清单", dueOn = Day(Today.AddDays(4)), ownerId = app.UserIds["engineer"], visitId }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        // Saving the task again with the same owner tells no one twice.
        await (await rep.PutJsonAsync($"/api/v1/tasks/{taskId}", new { title = "提供备件清单（含价格）", dueOn = Day(Today.AddDays(4)), ownerId = app.UserIds["engineer"] }))
            .ExpectAsync(HttpStatusCode.OK);

        await using var db = app.Db();
        var visitNotice = Assert.Single(await db.Notifications.Where(n => n.Event == NotificationEvent.VisitAssigned && n.Link == $"/visits/{visitId}").ToListAsync());
        Assert.Equal((app.UserIds["engineer"], (long?)accountId), (visitNotice.RecipientId, visitNotice.AccountId));
        Assert.Equal("REP 邀请您参加拜访：" + await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Name).SingleAsync(), visitNotice.Title);
        Assert.Contains("技术层", visitNotice.Body);
        var taskNotice = Assert.Single(await db.Notifications.Where(n => n.Event == NotificationEvent.TaskAssigned && n.Link == $"/tasks/{taskId}").ToListAsync());
        Assert.Equal((app.UserIds["engineer"], "REP 给您分派了任务：提供备件清单"), (taskNotice.RecipientId, taskNotice.Title));
        Assert.Contains($"截止 {Day(Today.AddDays(4))}", taskNotice.Body);

        using var engineer = await app.ClientAsync("engineer");
        var inbox = await (await engineer.GetAsync("/api/v1/notifications?unread=true&pageSize=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), n => n.GetProperty("link").GetString() == $"/tasks/{taskId}");

        // A task one keeps for oneself tells no one.
        var own = (await (await rep.PostJsonAsync("/api/v1/tasks", new { accountId, title = "自己跟进", dueOn = Day(Today.AddDays(4)) })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        Assert.False(await db.Notifications.AnyAsync(n => n.Link == $"/tasks/{own}"));
        Assert.False(await db.Notifications.AnyAsync(n => n.Event == NotificationEvent.VisitAssigned && n.RecipientId == app.UserIds["rep"] && n.Link == $"/visits/{visitId}"));
    }
}
