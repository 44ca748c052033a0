using System.Net;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Complaints;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Home;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure.Auth;
using KeyAccounts.Tests.Features.Visits;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Home;

[Collection(AppCollection.Name)]
public sealed class GetWorkbenchTests(TestApp app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>A user of their own, so that the counts are theirs alone in the shared database.</summary>
    private async Task<string> NewUserAsync(string role, int departmentId)
    {
        var userName = TestApp.Unique("wb").ToLowerInvariant();
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.PostJsonAsync("/api/v1/users",
            new { userName, displayName = userName.ToUpperInvariant(), password = TestApp.Password, roles = new[] { role }, departmentId }))
            .ExpectAsync(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString()!;
        app.UserIds[userName] = id;
        return userName;
    }

    private async Task<int> NewDepartmentAsync()
    {
        await using var db = app.Db();
        var company = await db.Departments.FirstAsync(d => d.Id == app.CompanyId);
        var department = new Department { Name = TestApp.Unique("工作台部"), ParentId = company.Id };
        db.Departments.Add(department);
        await db.SaveChangesAsync();
        department.Path = $"{company.Path}{department.Id}/";
        await db.SaveChangesAsync();
        return department.Id;
    }

    private static CurrentUser As(TestApp app, string userName, string role) => TestApp.As(app.UserIds[userName], userName, role);

    private async Task<GetWorkbench.Response> BenchAsync(CurrentUser user)
    {
        await using var db = app.Db();
        return (await GetWorkbench.HandleAsync(db, user, TimeProvider.System, CancellationToken.None)).Value!;
    }

    private async Task<long> TaskAsync(string owner, long accountId, DateOnly dueOn, string title)
    {
        await using var db = app.Db();
        var task = new FollowUpTask { AccountId = accountId, Title = title, OwnerId = app.UserIds[owner], DueOn = dueOn, CreatedAt = DateTime.UtcNow, Version = 1 };
        db.FollowUpTasks.Add(task);
        await db.SaveChangesAsync();
        return task.Id;
    }

    private async Task<long> VisitAsync(string owner, long accountId, DateOnly on, params string[] others)
    {
        await using var db = app.Db();
        var visit = new Visit
        {
            AccountId = accountId,
            Level = VisitLevel.Technical,
            PlannedOn = on,
            Purpose = "现场技术支持",
            OwnerId = app.UserIds[owner],
            CreatedAt = DateTime.UtcNow,
            Version = 1,
            Attendees = [.. others.Prepend(owner).Select(u => new VisitAttendee { UserId = app.UserIds[u] })],
        };
        visit.PlaceAttendeesOnCalendar();
        db.Visits.Add(visit);
        await db.SaveChangesAsync();
        return visit.Id;
    }

    private async Task<long> ComplaintAsync(string assignee, long accountId, DateTime dueAt)
    {
        var contactId = await VisitTestData.AddContactAsync(app, accountId);
        await using var db = app.Db();
        var complaint = new Complaint
        {
            AccountId = accountId,
            ContactId = contactId,
            Category = ComplaintCategory.Delivery,
            Severity = ComplaintSeverity.High,
            Description = "交期延误",
            Status = ComplaintStatus.Acknowledged,
            AssigneeId = app.UserIds[assignee],
            DueAt = dueAt,
            CreatedAt = DateTime.UtcNow.AddHours(-1),
            CreatedById = app.UserIds["admin"],
            UpdatedAt = DateTime.UtcNow,
        };
        db.Complaints.Add(complaint);
        await db.SaveChangesAsync();
        return complaint.Id;
    }

    private async Task FollowUpAsync(string user, long accountId, DateOnly nextContactOn)
    {
        await using var db = app.Db();
        db.FollowUps.Add(new FollowUp
        {
            AccountId = accountId,
            Method = FollowUpMethod.Call,
            OccurredOn = Today.AddDays(-7),
            Summary = "电话确认交期",
            NextContactOn = nextContactOn,
            UserId = app.UserIds[user],
            CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Workbench_Rep_ShowsTheirOwnWorkAndNotTheirColleagues()
    {
        var rep = await NewUserAsync(Roles.Rep, app.EastTeamId);
        var colleague = await NewUserAsync(Roles.Rep, app.EastTeamId);
        var mine = await VisitTestData.CreateAccountAsync(app, rep, Tier.Key);
        var theirs = await VisitTestData.CreateAccountAsync(app, colleague, Tier.Key);

        var overdue = await TaskAsync(rep, mine, Today.AddDays(-3), "发送技术方案");
        // A task the rep was given on a colleague's account is the rep's work all the same.
        var givenToMe = await TaskAsync(rep, theirs, Today.AddDays(-1), "安排工程师现场支持");
        var dueToday = await TaskAsync(rep, mine, Today, "提交报价单");
        await TaskAsync(colleague, theirs, Today.AddDays(-2), "整理对账单");
        var visit = await VisitAsync(rep, mine, Today);
        var joined = await VisitAsync(colleague, theirs, Today, rep);
        await VisitAsync(colleague, theirs, Today);
        await FollowUpAsync(rep, mine, Today);
        await FollowUpAsync(colleague, theirs, Today);
        var complaint = await ComplaintAsync(rep, mine, DateTime.UtcNow.AddHours(5));
        await ComplaintAsync(colleague, theirs, DateTime.UtcNow.AddHours(5));
        await ComplaintAsync(rep, mine, DateTime.UtcNow.AddDays(10));

        var bench = await BenchAsync(As(app, rep, Roles.Rep));

        Assert.Equal(DataScope.Own, bench.Scope);
        Assert.Equal(2, bench.OverdueTasks.Count);
        Assert.Equal([overdue, givenToMe], bench.OverdueTasks.Items.Select(t => t.Id));
        Assert.Contains(bench.TasksDueThisWeek.Items, t => t.Id == dueToday);
        Assert.Equal(1, bench.TasksDueThisWeek.Count);
        Assert.Equal([visit, joined], bench.VisitsThisWeek.Items.Select(v => v.Id).Order());
        Assert.Equal(mine, Assert.Single(bench.ContactsDue.Items).AccountId);
        Assert.Equal(1, bench.ContactsDue.Count);
        Assert.Equal(complaint, Assert.Single(bench.ComplaintsDue.Items).Id);
        Assert.Null(bench.Approvals);
        Assert.Null(bench.Team);
    }

    [Fact]
    public async Task Workbench_Manager_ShowsTheDepartmentsGapsButNotAnothers()
    {
        var department = await NewDepartmentAsync();
        var manager = await NewUserAsync(Roles.Manager, department);
        var rep = await NewUserAsync(Roles.Rep, department);
        var neglected = await VisitTestData.CreateAccountAsync(app, rep, Tier.Key);
        var visited = await VisitTestData.CreateAccountAsync(app, rep, Tier.Major);
        var west = await VisitTestData.CreateAccountAsync(app, "westrep", Tier.Key);
        var visitId = await VisitAsync(rep, visited, Today.AddDays(-3));
        await using (var db = app.Db())
        {
            var done = await db.Visits.FirstAsync(v => v.Id == visitId);
            done.Status = VisitStatus.Done;
            done.VisitedOn = Today.AddDays(-3);
            await db.SaveChangesAsync();
        }
        await TaskAsync(rep, neglected, Today.AddDays(-4), "寄送样品");
        await TaskAsync(rep, visited, Today.AddDays(-1), "安排高层回访");
        await TaskAsync("westrep", west, Today.AddDays(-4), "寄送样品");
        var late = await ComplaintAsync(rep, neglected, DateTime.UtcNow.AddHours(-2));
        await ComplaintAsync("westrep", west, DateTime.UtcNow.AddHours(-2));

        var bench = await BenchAsync(As(app, manager, Roles.Manager));

        var team = Assert.IsType<TeamFigures>(bench.Team);
        Assert.Equal(DataScope.Department, team.Scope);
        Assert.Equal(1, team.Tiers.Single(t => t.Tier == Tier.Key).Count);
        Assert.Equal(2, team.OverdueTasksByOwner.Count);
        var owner = Assert.Single(team.OverdueTasksByOwner.Items);
        Assert.Equal((app.UserIds[rep], 2), (owner.OwnerId, owner.Count));
        Assert.Equal(neglected, Assert.Single(team.NotVisited.Items).Id);
        Assert.Equal(late, Assert.Single(team.OverdueComplaints.Items).Id);
        Assert.Null(bench.Approvals);
        // The manager's own work is theirs: the rep's tasks are not on it.
        Assert.Equal(0, bench.OverdueTasks.Count);
    }

    [Fact]
    public async Task Workbench_Leader_ListsTheRunWaitingForApproval()
    {
        long runId;
        await using (var db = app.Db())
        {
            var modelId = (await EvaluationModels.DefaultModelIdAsync(db, CancellationToken.None))!.Value;
            // Older than any run another test leaves, so it is among the first listed.
            var run = new EvaluationRun
            {
                ModelId = modelId,
                ModelVersion = 1,
                ModelName = "工作台测试标准",
                PeriodStart = new DateOnly(2025, 1, 1),
                PeriodEnd = new DateOnly(2025, 12, 31),
                Status = RunStatus.Proposed,
                CreatedAt = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            };
            db.EvaluationRuns.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
        }
        try
        {
            var leader = await BenchAsync(TestApp.As(app.UserIds["leader"], "leader", Roles.Leader));
            var approvals = Assert.IsType<Block<Approval>>(leader.Approvals);
            Assert.True(approvals.Count >= 1);
            var approval = approvals.Items[0];
            Assert.Equal(("EvaluationRun", runId, $"/evaluation/runs/{runId}"), (approval.Kind, approval.Id, approval.Href));
            Assert.Equal(DataScope.All, Assert.IsType<TeamFigures>(leader.Team).Scope);

            Assert.Null((await BenchAsync(TestApp.As(app.UserIds["manager"], "manager", Roles.Manager))).Approvals);
            Assert.Null((await BenchAsync(TestApp.As(app.UserIds["rep"], "rep", Roles.Rep))).Approvals);
        }
        finally
        {
            await using var db = app.Db();
            await db.EvaluationRuns.Where(r => r.Id == runId).ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task GetHome_RepOverTheApi_AnswersTheirBlocks()
    {
        var rep = await NewUserAsync(Roles.Rep, app.EastTeamId);
        var account = await VisitTestData.CreateAccountAsync(app, rep, Tier.Key);
        var task = await TaskAsync(rep, account, Today.AddDays(-2), "发送技术方案");

        using var client = await app.ClientAsync(rep);
        var body = await (await client.GetAsync("/api/v1/home")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Own", body.GetProperty("scope").GetString());
        Assert.Equal(1, body.GetProperty("overdueTasks").GetProperty("count").GetInt32());
        Assert.Equal(task, body.GetProperty("overdueTasks").GetProperty("items")[0].GetProperty("id").GetInt64());
        Assert.Equal("/tasks?view=overdue", body.GetProperty("overdueTasks").GetProperty("more").GetString());
        Assert.Equal(1, body.GetProperty("book").GetProperty("tiers").EnumerateArray().Single(t => t.GetProperty("tier").GetString() == "Key").GetProperty("count").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("team").ValueKind);
    }

    [Fact]
    public async Task GetHome_Anonymous_Unauthorized()
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/api/v1/home");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("2026-12-07", "2026-12-07", "2026-12-13")]
    [InlineData("2026-12-13", "2026-12-07", "2026-12-13")]
    [InlineData("2026-12-10", "2026-12-07", "2026-12-13")]
    public void WeekOf_AnyDay_RunsMondayToSunday(string day, string monday, string sunday) =>
        Assert.Equal((DateOnly.Parse(monday), DateOnly.Parse(sunday)), GetWorkbench.WeekOf(DateOnly.Parse(day)));
}
