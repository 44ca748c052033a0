using System.Net;
using System.Text.Json;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Audit;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Visits;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KeyAccounts.Tests.Features.Visits.VisitTestData;

namespace KeyAccounts.Tests.Features.Visits;

[Collection(AppCollection.Name)]
public sealed class VisitsApiTests(TestApp app)
{
    private Task<long> CreateAccountAsync(string owner, Tier tier = Tier.Ordinary, int ageDays = 0) => VisitTestData.CreateAccountAsync(app, owner, tier, ageDays);
    private Task<long> AddContactAsync(long accountId, string name = "张总") => VisitTestData.AddContactAsync(app, accountId, name);

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
