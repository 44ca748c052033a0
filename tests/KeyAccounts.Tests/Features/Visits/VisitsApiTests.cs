using System.Net;
using System.Text.Json;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Audit;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Visits;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Visits;

[Collection(AppCollection.Name)]
public sealed class VisitsApiTests(TestApp app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd");

    private async Task<long> CreateAccountAsync(string owner, Tier tier = Tier.Ordinary, int ageDays = 0)
    {
        using var admin = await app.ClientAsync("admin");
        var code = TestApp.Unique("VS");
        var created = await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = $"拜访{code}有限公司", type = "Customer", ownerId = app.UserIds[owner] }))
            .ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        await using var db = app.Db();
        var createdAt = DateTime.UtcNow.AddDays(-ageDays);
        await db.Accounts.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Tier, tier).SetProperty(a => a.CreatedAt, createdAt));
        return id;
    }

    private async Task<long> AddContactAsync(long accountId, string name = "张总")
    {
        using var admin = await app.ClientAsync("admin");
        return (await (await admin.PostJsonAsync($"/api/v1/accounts/{accountId}/contacts", new { name })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
    }

    private static async Task<long> PlanAsync(HttpClient client, long accountId, long[] contactIds, string level = "Business", DateOnly? on = null) =>
        (await (await client.PostJsonAsync("/api/v1/visits", new { accountId, level, plannedOn = Day(on ?? Today.AddDays(2)), purpose = "季度业务回顾", contactIds }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();

    [Fact]
    public async Task Plan_ValidVisit_Returns201WithParticipantsAndAudit()
    {
        var accountId = await CreateAccountAsync("rep");
        var contactId = await AddContactAsync(accountId);
        using var rep = await app.ClientAsync("rep");
        var response = await rep.PostJsonAsync("/api/v1/visits", new
        {
            accountId,
            level = "Leadership",
            plannedOn = Day(Today.AddDays(5)),
            purpose = "高层战略会谈",
            contactIds = new[] { contactId },
            userIds = new[] { app.UserIds["engineer"] },
        });
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/visits/{id}", response.Headers.Location!.ToString());
        Assert.Equal("Leadership", body.GetProperty("level").GetString());
        Assert.Equal("Planned", body.GetProperty("status").GetString());
        Assert.Equal(app.UserIds["rep"], body.GetProperty("ownerId").GetString());
        Assert.Equal(contactId, body.GetProperty("contacts")[0].GetProperty("id").GetInt64());
        Assert.Equal(2, body.GetProperty("attendees").GetArrayLength());

        await using var db = app.Db();
        var audit = await db.AuditEntries.SingleAsync(e => e.Entity == "Visit" && e.EntityKey == id.ToString());
        Assert.Equal(AuditAction.Created, audit.Action);
        Assert.Equal(accountId, audit.AccountId);
        Assert.Equal("rep", audit.UserName);
    }

    [Fact]
    public async Task Plan_ContactOfAnotherAccount_Returns400AndWritesNothing()
    {
        var accountId = await CreateAccountAsync("rep");
        var other = await CreateAccountAsync("rep");
        var stranger = await AddContactAsync(other, "外人");
        using var rep = await app.ClientAsync("rep");
        var body = await (await rep.PostJsonAsync("/api/v1/visits", new { accountId, level = "Business", plannedOn = Day(Today), purpose = "x", contactIds = new[] { stranger } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(stranger.ToString(), body.GetProperty("errors").GetProperty("contactIds")[0].GetString());
        await using var db = app.Db();
        Assert.False(await db.Visits.AnyAsync(v => v.AccountId == accountId));
    }

    [Fact]
    public async Task Record_WithActions_MarksDoneCreatesTasksAndAFollowUp()
    {
        var accountId = await CreateAccountAsync("rep");
        var contactId = await AddContactAsync(accountId);
        using var rep = await app.ClientAsync("rep");
        var visitId = await PlanAsync(rep, accountId, [contactId], "Technical");
        var response = await rep.PostJsonAsync($"/api/v1/visits/{visitId}/record", new
        {
            visitedOn = Day(Today),
            findings = "二号线减速机异响",
            problems = "轴承温升高",
            usageInformation = "每天两班",
            latentNeeds = "考虑升级到智能监测",
            actions = new object[]
            {
                new { title = "寄送监测方案", ownerId = app.UserIds["engineer"], dueOn = Day(Today.AddDays(7)) },
                new { title = "安排技术交流", ownerId = app.UserIds["rep"], dueOn = Day(Today) },
            },
            nextContactOn = Day(Today.AddDays(14)),
        });
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        var taskIds = body.GetProperty("taskIds").EnumerateArray().Select(e => e.GetInt64()).ToList();
        Assert.Equal(2, taskIds.Count);

        await using var db = app.Db();
        var visit = await db.Visits.SingleAsync(v => v.Id == visitId);
        Assert.Equal(VisitStatus.Done, visit.Status);
        Assert.Equal(Today, visit.VisitedOn);
        Assert.Equal("考虑升级到智能监测", visit.LatentNeeds);
        var tasks = await db.FollowUpTasks.Where(t => taskIds.Contains(t.Id)).OrderBy(t => t.Id).ToListAsync();
        Assert.All(tasks, t => Assert.Equal((accountId, (long?)visitId, TaskState.Open), (t.AccountId, t.VisitId, t.Status)));
        Assert.Equal(("寄送监测方案", app.UserIds["engineer"], Today.AddDays(7)), (tasks[0].Title, tasks[0].OwnerId, tasks[0].DueOn));
        var followUp = await db.FollowUps.Include(f => f.Contacts).SingleAsync(f => f.VisitId == visitId);
        Assert.Equal((FollowUpMethod.Visit, Today, (DateOnly?)Today.AddDays(14)), (followUp.Method, followUp.OccurredOn, followUp.NextContactOn));
        Assert.Equal(contactId, followUp.Contacts.Single().ContactId);
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Entity == "FollowUpTask" && e.AccountId == accountId));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "Visit" && e.EntityKey == visitId.ToString() && e.Action == AuditAction.Updated));

        var again = await rep.PostJsonAsync($"/api/v1/visits/{visitId}/record", new { visitedOn = Day(Today), findings = "x", actions = Array.Empty<object>() });
        await again.ExpectAsync(HttpStatusCode.Conflict);

        var visitTasks = await (await rep.GetAsync($"/api/v1/tasks?visitId={visitId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, visitTasks.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Record_ContactOfAnotherAccountOrActionDueBeforeToday_Returns400AndWritesNothing()
    {
        var accountId = await CreateAccountAsync("rep");
        var stranger = await AddContactAsync(await CreateAccountAsync("rep2"), "别家的人");
        using var rep = await app.ClientAsync("rep");
        var visitId = await PlanAsync(rep, accountId, []);
        var body = await (await rep.PostJsonAsync($"/api/v1/visits/{visitId}/record", new
        {
            visitedOn = Day(Today),
            findings = "x",
            contactIds = new[] { stranger },
            actions = new[] { new { title = "补发资料", ownerId = app.UserIds["rep"], dueOn = Day(Today.AddDays(-1)) } },
        })).ExpectAsync(HttpStatusCode.BadRequest);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("contactIds", out _));
        Assert.True(errors.TryGetProperty("actions[0].dueOn", out _));

        await using var db = app.Db();
        Assert.Equal(VisitStatus.Planned, (await db.Visits.SingleAsync(v => v.Id == visitId)).Status);
        Assert.False(await db.FollowUpTasks.AnyAsync(t => t.AccountId == accountId));
        Assert.False(await db.FollowUps.AnyAsync(f => f.AccountId == accountId));
    }

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
        // rep2 owns the task but not the account, so cannot see it at all.
        await (await rep2.PostAsync($"/api/v1/tasks/{id}/complete", null)).ExpectAsync(HttpStatusCode.NotFound);
        var done = await (await rep.PostAsync($"/api/v1/tasks/{id}/complete", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Done", done.GetProperty("status").GetString());

        var mine = await (await rep.GetAsync($"/api/v1/tasks?accountId={accountId}&status=Done")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, mine.GetProperty("items")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Coverage_KeyAccountThisQuarter_CountsRequiredAndDoneByLevel()
    {
        var accountId = await CreateAccountAsync("rep", Tier.Key);
        using var rep = await app.ClientAsync("rep");
        var (start, end) = VisitFrequency.QuarterOf(Today);
        foreach (var level in new[] { "Business", "Business", "Leadership" })
        {
            var id = await PlanAsync(rep, accountId, [], level, Today);
            await (await rep.PostJsonAsync($"/api/v1/visits/{id}/record", new { visitedOn = Day(Today), findings = "ok", actions = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.OK);
        }
        // A visit still only planned, and one before the period, count for nothing.
        await PlanAsync(rep, accountId, [], "Technical", Today);
        var old = await PlanAsync(rep, accountId, [], "Technical", start.AddDays(-10));
        await (await rep.PostJsonAsync($"/api/v1/visits/{old}/record", new { visitedOn = Day(start.AddDays(-10)), actions = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.OK);

        var items = await CoverageItemsAsync(rep, $"periodStart={Day(start)}&periodEnd={Day(end)}", accountId);
        Assert.Equal(["Leadership", "Technical", "Business"], items.Select(i => i.GetProperty("level").GetString()));
        Assert.Equal([1, 1, 3], items.Select(i => i.GetProperty("required").GetInt32()));
        Assert.Equal([1, 0, 2], items.Select(i => i.GetProperty("done").GetInt32()));

        // Over the whole year the yearly numbers apply.
        var year = await CoverageItemsAsync(rep, $"periodStart={Today.Year}-01-01&periodEnd={Today.Year}-12-31", accountId);
        Assert.Equal([2, 4, 12], year.Select(i => i.GetProperty("required").GetInt32()));

        using var west = await app.ClientAsync("westrep");
        Assert.Empty(await CoverageItemsAsync(west, $"periodStart={Day(start)}&periodEnd={Day(end)}", accountId));
    }

    private static async Task<List<JsonElement>> CoverageItemsAsync(HttpClient client, string query, long accountId)
    {
        var found = new List<JsonElement>();
        for (var page = 1; page < 50; page++)
        {
            var body = await (await client.GetAsync($"/api/v1/visits/coverage?{query}&page={page}&pageSize=300")).ExpectAsync(HttpStatusCode.OK);
            var items = body.GetProperty("items").EnumerateArray().ToList();
            found.AddRange(items.Where(i => i.GetProperty("accountId").GetInt64() == accountId));
            if (items.Count < 300) break;
        }
        return found;
    }

    [Fact]
    public async Task ContactToday_NextContactDue_ListedUntilANewerFollowUp()
    {
        var accountId = await CreateAccountAsync("rep");
        var contactId = await AddContactAsync(accountId);
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync("/api/v1/follow-ups", new
        {
            accountId,
            method = "WeChat",
            summary = "约下周见面",
            contactIds = new[] { contactId },
            occurredOn = Day(Today.AddDays(-3)),
            nextContactOn = Day(Today),
        })).ExpectAsync(HttpStatusCode.Created);
        var list = await (await rep.GetAsync("/api/v1/follow-ups/contact-today?mine=true&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("accountId").GetInt64() == accountId);

        await (await rep.PostJsonAsync("/api/v1/follow-ups", new { accountId, method = "Call", summary = "已电话确认", nextContactOn = Day(Today.AddDays(10)) }))
            .ExpectAsync(HttpStatusCode.Created);
        list = await (await rep.GetAsync("/api/v1/follow-ups/contact-today?mine=true&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("accountId").GetInt64() == accountId);

        var bad = await (await rep.PostJsonAsync("/api/v1/follow-ups", new { accountId, method = "Call", summary = "x", contactIds = new[] { await AddContactAsync(await CreateAccountAsync("rep")) } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("contactIds", out _));
    }

    [Fact]
    public async Task DailyChecks_RunTwice_EscalateSilentAccountOnceToTheLineManagerAndRemindOnce()
    {
        await using (var setup = app.Db())
            await setup.Departments.Where(d => d.Id == app.WestTeamId).ExecuteUpdateAsync(s => s.SetProperty(d => d.HeadUserId, app.UserIds["westmanager"]));
        var silent = await CreateAccountAsync("westrep", Tier.Key, ageDays: 45);
        var lively = await CreateAccountAsync("westrep", Tier.Key, ageDays: 45);
        using var west = await app.ClientAsync("westrep");
        await (await west.PostJsonAsync("/api/v1/follow-ups", new { accountId = lively, method = "Call", summary = "例行电话" })).ExpectAsync(HttpStatusCode.Created);
        var visitId = await PlanAsync(west, lively, [], "Business", Today.AddDays(1));
        var task = (await (await west.PostJsonAsync("/api/v1/tasks", new { accountId = lively, title = "催款", dueOn = Day(Today) })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        await using (var age = app.Db())
            await age.FollowUpTasks.Where(t => t.Id == task).ExecuteUpdateAsync(s => s.SetProperty(t => t.DueOn, Today.AddDays(-2)));

        for (var run = 0; run < 2; run++)
        {
            await using var db = app.Db();
            await DailyVisitChecks.RunAsync(db, Today, CancellationToken.None);
        }

        await using var check = app.Db();
        var escalations = await check.Notifications.Where(n => n.Event == NotificationEvent.FollowUpOverdue && (n.AccountId == silent || n.AccountId == lively)).ToListAsync();
        var escalation = Assert.Single(escalations);
        Assert.Equal((silent, app.UserIds["westmanager"], $"followup:{silent}:never"), (escalation.AccountId!.Value, escalation.RecipientId, escalation.DedupKey));
        var due = Assert.Single(await check.Notifications.Where(n => n.Event == NotificationEvent.VisitDue && n.DedupKey.StartsWith($"visit:{visitId}:")).ToListAsync());
        Assert.Equal(app.UserIds["westrep"], due.RecipientId);
        var overdue = Assert.Single(await check.Notifications.Where(n => n.Event == NotificationEvent.TaskOverdue && n.DedupKey.StartsWith($"task:{task}:")).ToListAsync());
        Assert.Equal(app.UserIds["westrep"], overdue.RecipientId);
    }

    [Fact]
    public async Task CalendarFeed_TokenUrl_ServesMyVisitsAndTasksUntilRevoked()
    {
        var accountId = await CreateAccountAsync("rep2");
        using var rep2 = await app.ClientAsync("rep2");
        var visitId = await PlanAsync(rep2, accountId, [], "Leadership", Today.AddDays(3));
        await (await rep2.PostJsonAsync("/api/v1/tasks", new { accountId, title = "准备高层会谈材料", dueOn = Day(Today.AddDays(2)) })).ExpectAsync(HttpStatusCode.Created);

        var feed = await (await rep2.PostAsync("/api/v1/calendar/feed", null)).ExpectAsync(HttpStatusCode.OK);
        var url = new Uri(feed.GetProperty("url").GetString()!).PathAndQuery;
        using var anonymous = app.CreateClient();
        var response = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        var ics = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("BEGIN:VCALENDAR", ics);
        Assert.Contains($"UID:visit-{visitId}@keyaccounts", ics);
        Assert.Contains("准备高层会谈材料", ics);
        Assert.Contains($"DTSTART;VALUE=DATE:{Today.AddDays(3):yyyyMMdd}", ics);

        await using (var db = app.Db())
            Assert.DoesNotContain(url.Split('/')[^1].Replace(".ics", ""), (await db.CalendarFeeds.SingleAsync(f => f.UserId == app.UserIds["rep2"])).TokenHash);

        var regenerated = await (await rep2.PostAsync("/api/v1/calendar/feed", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url)).StatusCode);
        var newUrl = new Uri(regenerated.GetProperty("url").GetString()!).PathAndQuery;
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(newUrl)).StatusCode);

        await (await rep2.DeleteAsync("/api/v1/calendar/feed")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(newUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ical/not-a-token.ics")).StatusCode);

        var one = await rep2.GetAsync($"/api/v1/visits/{visitId}/calendar.ics");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Contains($"UID:visit-{visitId}@keyaccounts", await one.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Calendar_Month_ShowsMyVisitsAndTasks()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var visitId = await PlanAsync(rep, accountId, [], "Business", Today.AddDays(1));
        var taskId = (await (await rep.PostJsonAsync("/api/v1/tasks", new { accountId, title = "样品跟踪", dueOn = Day(Today.AddDays(1)) })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var body = await (await rep.GetAsync($"/api/v1/calendar?from={Day(Today)}&to={Day(Today.AddDays(30))}")).ExpectAsync(HttpStatusCode.OK);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "Visit" && i.GetProperty("id").GetInt64() == visitId);
        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "Task" && i.GetProperty("id").GetInt64() == taskId);

        using var west = await app.ClientAsync("westrep");
        var theirs = await (await west.GetAsync($"/api/v1/calendar?from={Day(Today)}&to={Day(Today.AddDays(30))}")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), i => i.GetProperty("accountId").GetInt64() == accountId);
        await (await rep.GetAsync($"/api/v1/calendar?from={Day(Today)}&to={Day(Today.AddDays(300))}")).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Calendar_VisitRecordedOnAnotherDay_MovesToThatDayForEveryAttendee()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var visitId = (await (await rep.PostJsonAsync("/api/v1/visits", new
        {
            accountId,
            level = "Technical",
            plannedOn = Day(Today.AddDays(5)),
            purpose = "设备点检",
            userIds = new[] { app.UserIds["manager"] },
        })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        using var manager = await app.ClientAsync("manager");

        async Task<List<DateOnly>> DaysAsync(HttpClient client) =>
            [.. (await (await client.GetAsync($"/api/v1/calendar?from={Day(Today.AddDays(-3))}&to={Day(Today.AddDays(10))}")).ExpectAsync(HttpStatusCode.OK))
                .GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("kind").GetString() == "Visit" && i.GetProperty("id").GetInt64() == visitId)
                .Select(i => DateOnly.Parse(i.GetProperty("date").GetString()!))];
        Assert.Equal([Today.AddDays(5)], await DaysAsync(rep));
        Assert.Equal([Today.AddDays(5)], await DaysAsync(manager));

        await (await rep.PostJsonAsync($"/api/v1/visits/{visitId}/record", new { visitedOn = Day(Today.AddDays(-1)), findings = "提前上门", actions = Array.Empty<object>() }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([Today.AddDays(-1)], await DaysAsync(rep));
        Assert.Equal([Today.AddDays(-1)], await DaysAsync(manager));
        await using var db = app.Db();
        Assert.All(await db.VisitAttendees.Where(a => a.VisitId == visitId).ToListAsync(), a => Assert.Equal(Today.AddDays(-1), a.Day));
    }

    [Fact]
    public async Task ForeignAccount_EveryEndpoint_Answers404AndWritesNothing()
    {
        var accountId = await CreateAccountAsync("rep");
        var contactId = await AddContactAsync(accountId);
        using var rep = await app.ClientAsync("rep");
        var visitId = await PlanAsync(rep, accountId, [contactId]);
        var taskId = (await (await rep.PostJsonAsync("/api/v1/tasks", new { accountId, title = "t", dueOn = Day(Today) })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();

        using var west = await app.ClientAsync("westrep");
        await (await west.PostJsonAsync("/api/v1/visits", new { accountId, level = "Business", plannedOn = Day(Today), purpose = "x", contactIds = new[] { contactId } })).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.GetAsync($"/api/v1/visits/{visitId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PostJsonAsync($"/api/v1/visits/{visitId}/record", new { visitedOn = Day(Today), actions = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PostAsync($"/api/v1/visits/{visitId}/cancel", null)).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.GetAsync($"/api/v1/visits/{visitId}/calendar.ics")).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.GetAsync($"/api/v1/accounts/{accountId}/timeline")).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PostJsonAsync("/api/v1/tasks", new { accountId, title = "t", dueOn = Day(Today) })).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.GetAsync($"/api/v1/tasks/{taskId}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PutJsonAsync($"/api/v1/tasks/{taskId}", new { title = "t", dueOn = Day(Today), ownerId = app.UserIds["westrep"] })).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PostAsync($"/api/v1/tasks/{taskId}/complete", null)).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.PostJsonAsync("/api/v1/follow-ups", new { accountId, method = "Call", summary = "x" })).ExpectAsync(HttpStatusCode.NotFound);
        var visits = await (await west.GetAsync($"/api/v1/visits?accountId={accountId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, visits.GetProperty("total").GetInt32());
        var tasks = await (await west.GetAsync($"/api/v1/tasks?accountId={accountId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, tasks.GetProperty("total").GetInt32());

        // Finance sees every account but edits none: changes are 403.
        using var finance = await app.ClientAsync("finance");
        await (await finance.GetAsync($"/api/v1/visits/{visitId}")).ExpectAsync(HttpStatusCode.OK);
        await (await finance.PostJsonAsync("/api/v1/visits", new { accountId, level = "Business", plannedOn = Day(Today), purpose = "x" })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await finance.PostJsonAsync($"/api/v1/visits/{visitId}/record", new { visitedOn = Day(Today), actions = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.Forbidden);

        await using var db = app.Db();
        Assert.Equal(VisitStatus.Planned, (await db.Visits.SingleAsync(v => v.Id == visitId)).Status);
        Assert.Equal(1, await db.Visits.CountAsync(v => v.AccountId == accountId));
        Assert.False(await db.FollowUps.AnyAsync(f => f.AccountId == accountId));
    }

    [Fact]
    public async Task Policy_AdminEditsTier_RepMayNot()
    {
        using var rep = await app.ClientAsync("rep");
        var policy = new[] { new { tier = "Small", leadershipPerYear = 0, technicalPerYear = 1, businessPerYear = 3, escalateAfterDays = 200 } };
        await (await rep.PutJsonAsync("/api/v1/visits/policy", policy)).ExpectAsync(HttpStatusCode.Forbidden);
        using var admin = await app.ClientAsync("admin");
        var saved = await (await admin.PutJsonAsync("/api/v1/visits/policy", policy)).ExpectAsync(HttpStatusCode.OK);
        var small = saved.EnumerateArray().Single(p => p.GetProperty("tier").GetString() == "Small");
        Assert.Equal((1, 3, 200), (small.GetProperty("technicalPerYear").GetInt32(), small.GetProperty("businessPerYear").GetInt32(), small.GetProperty("escalateAfterDays").GetInt32()));
        var key = saved.EnumerateArray().Single(p => p.GetProperty("tier").GetString() == "Key");
        Assert.Equal(12, key.GetProperty("businessPerYear").GetInt32());
        var bad = await (await admin.PutJsonAsync("/api/v1/visits/policy", new[] { new { tier = "Key", leadershipPerYear = -1, technicalPerYear = 4, businessPerYear = 12, escalateAfterDays = 30 } }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("[0].leadershipPerYear", out _));
        await using var db = app.Db();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "VisitPolicy" && e.EntityKey == "Small"));
    }

    [Fact]
    public async Task Timeline_And_GoingCold_ReflectVisitsAndMeetings()
    {
        var accountId = await CreateAccountAsync("rep", Tier.Key);
        var met = await AddContactAsync(accountId, "见过的人");
        var cold = await AddContactAsync(accountId, "没见过的人");
        using var rep = await app.ClientAsync("rep");
        var visitId = await PlanAsync(rep, accountId, [met], "Business", Today);
        await (await rep.PostJsonAsync($"/api/v1/visits/{visitId}/record", new { visitedOn = Day(Today), findings = "顺利", actions = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.OK);
        await (await rep.PostJsonAsync("/api/v1/follow-ups", new { accountId, method = "Email", summary = "发送资料" })).ExpectAsync(HttpStatusCode.Created);

        var timeline = await (await rep.GetAsync($"/api/v1/accounts/{accountId}/timeline")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, timeline.GetProperty("total").GetInt32());
        Assert.Equal(["FollowUp", "Visit"], timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).Order());

        var goingCold = await (await rep.GetAsync("/api/v1/visits/going-cold?days=30&mine=true&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        var ids = goingCold.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("contactId").GetInt64()).ToList();
        Assert.Contains(cold, ids);
        Assert.DoesNotContain(met, ids);
    }
}
