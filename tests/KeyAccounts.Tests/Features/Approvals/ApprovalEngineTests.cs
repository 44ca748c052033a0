using KeyAccounts.Data;
using KeyAccounts.Features.Approvals;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Approvals;

/// <summary>A document type of the tests' own (one per test, so that flows never meet), remembering the decisions it was told of.</summary>
public sealed class TestDocument(string type) : IApprovalDocument
{
    public string DocumentType => type;
    public List<ApprovalOutcome> Decided { get; } = [];

    public Task OnDecidedAsync(AppDb db, ApprovalOutcome outcome, CancellationToken ct)
    {
        Decided.Add(outcome);
        return Task.CompletedTask;
    }
}

/// <summary>The approval engine on a document type of the tests' own: flow choice, modes, approvers, actions, history and audit.</summary>
[Collection(AppCollection.Name)]
public sealed class ApprovalEngineTests(TestApp app)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private CurrentUser As(string user, string role) => TestApp.As(app.UserIds[user], user, role);

    private sealed record Setup(string Type, TestDocument Document, IServiceProvider Services);

    private static Setup NewType()
    {
        var type = TestApp.Unique("Doc");
        var document = new TestDocument(type);
        return new Setup(type, document, new ServiceCollection().AddSingleton<IApprovalDocument>(document).BuildServiceProvider());
    }

    private async Task<int> FlowAsync(Setup s, string name, int priority, ApprovalCondition[] conditions, params ApprovalStep[] steps)
    {
        await using var db = app.Db();
        var result = await ApprovalFlows.CreateAsync(new ApprovalFlows.Request(s.Type, name, null, priority, true, conditions, steps), db, TimeProvider.System, s.Services, None);
        return Assert.IsType<Created<ApprovalFlowDto>>(result.Result).Value!.Id;
    }

    private async Task<ApprovalRequest> SubmitAsync(Setup s, string submitter, Dictionary<string, decimal>? facts = null, long? accountId = null, long documentId = 1)
    {
        await using var db = app.Db();
        return await db.SubmitForApprovalAsync(new ApprovalSubmission(s.Type, documentId, accountId, app.UserIds[submitter], "报价单 Q-1", "/quotes/1",
            facts ?? []), s.Services, None);
    }

    private async Task<ApprovalRequestDto> ActAsync(Func<AppDb, Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>>> act)
    {
        await using var db = app.Db();
        var result = await act(db);
        return Assert.IsType<Ok<ApprovalRequestDto>>(result.Result).Value!;
    }

    private async Task<IResult> TryAsync(Func<AppDb, Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>>> act)
    {
        await using var db = app.Db();
        return (await act(db)).Result;
    }

    private static ApprovalStep Named(string name, ApprovalMode mode, params string[] users) => new(name, ApproverKind.NamedUsers, mode, UserIds: users);

    private async Task<List<ApprovalTask>> TasksAsync(long requestId)
    {
        await using var db = app.Db();
        return await db.ApprovalTasks.Where(t => t.RequestId == requestId).OrderBy(t => t.Id).ToListAsync();
    }

    [Fact]
    public async Task Submit_DiscountAboveTen_TakesTheLeaderFlow_BelowItTheManagerFlow_NoFlowApprovesAtOnce()
    {
        var s = NewType();
        // Without any flow the document is approved at once, and its history says why.
        var free = await SubmitAsync(s, "rep", new() { ["discountPercent"] = 5 }, documentId: 1);
        Assert.Equal(ApprovalState.Approved, free.State);
        Assert.Equal(ApprovalState.Approved, Assert.Single(s.Document.Decided).State);
        await using (var db = app.Db())
            Assert.Contains(await db.ApprovalActions.Where(a => a.RequestId == free.Id).Select(a => a.Kind).ToListAsync(), k => k == ApprovalActionKind.NoFlow);

        await FlowAsync(s, "经理审批", 0, [], Named("经理", ApprovalMode.Any, app.UserIds["manager"]));
        await FlowAsync(s, "超政策折扣", 10, [new ApprovalCondition("discountPercent", ConditionOperator.Gt, 10)],
            Named("经理", ApprovalMode.Any, app.UserIds["manager"]), Named("领导", ApprovalMode.Any, app.UserIds["leader"]));

        var small = await SubmitAsync(s, "rep", new() { ["discountPercent"] = 10 }, documentId: 2);
        var big = await SubmitAsync(s, "rep", new() { ["discountPercent"] = 12.5m }, documentId: 3);
        Assert.Equal("经理审批", small.FlowName);
        Assert.Equal("超政策折扣", big.FlowName);
        Assert.Equal(2, big.Steps.Count);
        Assert.Equal(ApprovalState.Pending, big.State);
        Assert.Equal(app.UserIds["manager"], Assert.Single(await TasksAsync(big.Id)).ApproverId);

        // The approver is told, with a link to the request.
        await using (var db = app.Db())
            Assert.True(await db.Notifications.AnyAsync(n => n.RecipientId == app.UserIds["manager"] && n.Event == NotificationEvent.ApprovalAssigned
                                                             && n.Link == $"/approvals/{big.Id}"));

        // Through both steps: the manager, then the leader; the document hears of the approval once.
        await ActAsync(db => ApprovalActions.ApproveAsync(big.Id, new("同意"), db, As("manager", Roles.Manager), s.Services, None));
        Assert.Single(s.Document.Decided);
        var done = await ActAsync(db => ApprovalActions.ApproveAsync(big.Id, new(null), db, As("leader", Roles.Leader), s.Services, None));
        Assert.Equal(ApprovalState.Approved, done.State);
        Assert.Equal(2, s.Document.Decided.Count);
        Assert.Equal(big.Id, s.Document.Decided[1].RequestId);
        Assert.Equal(app.UserIds["leader"], s.Document.Decided[1].DecidedById);
    }

    [Fact]
    public async Task Approve_AllAnyAndSequentialSteps_FollowTheirMode()
    {
        var all = NewType();
        await FlowAsync(all, "会签", 0, [], Named("会签", ApprovalMode.All, app.UserIds["manager"], app.UserIds["westmanager"]));
        var a = await SubmitAsync(all, "rep");
        Assert.All(await TasksAsync(a.Id), t => Assert.Equal(ApprovalTaskState.Pending, t.State));
        var afterOne = await ActAsync(db => ApprovalActions.ApproveAsync(a.Id, new(null), db, As("manager", Roles.Manager), all.Services, None));
        Assert.Equal(ApprovalState.Pending, afterOne.State);
        Assert.Equal(ApprovalState.Approved, (await ActAsync(db => ApprovalActions.ApproveAsync(a.Id, new(null), db, As("westmanager", Roles.Manager), all.Services, None))).State);

        var any = NewType();
        await FlowAsync(any, "或签", 0, [], Named("或签", ApprovalMode.Any, app.UserIds["manager"], app.UserIds["westmanager"]));
        var b = await SubmitAsync(any, "rep");
        Assert.Equal(ApprovalState.Approved, (await ActAsync(db => ApprovalActions.ApproveAsync(b.Id, new(null), db, As("westmanager", Roles.Manager), any.Services, None))).State);
        Assert.Equal(ApprovalTaskState.Skipped, (await TasksAsync(b.Id)).Single(t => t.ApproverId == app.UserIds["manager"]).State);

        var seq = NewType();
        await FlowAsync(seq, "依次", 0, [], Named("依次", ApprovalMode.Sequential, app.UserIds["manager"], app.UserIds["westmanager"]));
        var c = await SubmitAsync(seq, "rep");
        var tasks = await TasksAsync(c.Id);
        Assert.Equal(new[] { ApprovalTaskState.Pending, ApprovalTaskState.Waiting }, tasks.Select(t => t.State));
        // Not the second approver's turn yet: refused, nothing changes.
        Assert.IsType<Conflict<ProblemDetails>>(await TryAsync(db => ApprovalActions.ApproveAsync(c.Id, new(null), db, As("westmanager", Roles.Manager), seq.Services, None)));
        await ActAsync(db => ApprovalActions.ApproveAsync(c.Id, new(null), db, As("manager", Roles.Manager), seq.Services, None));
        Assert.Equal(new[] { ApprovalTaskState.Approved, ApprovalTaskState.Pending }, (await TasksAsync(c.Id)).Select(t => t.State));
        Assert.Equal(ApprovalState.Approved, (await ActAsync(db => ApprovalActions.ApproveAsync(c.Id, new(null), db, As("westmanager", Roles.Manager), seq.Services, None))).State);
    }

    [Fact]
    public async Task Submit_ManagerLevelsUpAndOwnerManager_FollowTheDepartmentTree()
    {
        // 总部 (head: big) → 大区 (head: mid) → 一组 (head: lead) → worker; an account of the worker's, submitted by someone else.
        var suffix = TestApp.Unique("o").ToLowerInvariant();
        var ids = new Dictionary<string, string>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var parent = await db.Departments.SingleAsync(d => d.Id == app.CompanyId);
            var chain = new List<Department>();
            foreach (var name in new[] { "总部" + suffix, "大区" + suffix, "一组" + suffix })
            {
                var d = new Department { Name = name, ParentId = parent.Id };
                db.Departments.Add(d);
                await db.SaveChangesAsync();
                d.Path = $"{parent.Path}{d.Id}/";
                await db.SaveChangesAsync();
                chain.Add(d);
                parent = d;
            }
            foreach (var (name, department) in new[] { ("big", chain[0]), ("mid", chain[1]), ("lead", chain[2]), ("worker", chain[2]) })
            {
                var user = new AppUser { UserName = name + suffix, DisplayName = name, DepartmentId = department.Id };
                Assert.True((await users.CreateAsync(user, TestApp.Password)).Succeeded);
                ids[name] = user.Id;
            }
            (chain[0].HeadUserId, chain[1].HeadUserId, chain[2].HeadUserId) = (ids["big"], ids["mid"], ids["lead"]);
            await db.SaveChangesAsync();

            Assert.Equal([ids["lead"]], await Approvers.ManagersUpAsync(db, ids["worker"], 1, None));
            Assert.Equal([ids["mid"]], await Approvers.ManagersUpAsync(db, ids["worker"], 2, None));
            Assert.Equal([ids["big"]], await Approvers.ManagersUpAsync(db, ids["worker"], 3, None));
            // Past the top: the topmost head; a head's own manager is the head above.
            Assert.Equal([ids["big"]], await Approvers.ManagersUpAsync(db, ids["worker"], 6, None));
            Assert.Equal([ids["mid"]], await Approvers.ManagersUpAsync(db, ids["lead"], 1, None));
        }

        var s = NewType();
        await FlowAsync(s, "两级", 0, [], new ApprovalStep("直属经理", ApproverKind.OwnerManager, ApprovalMode.Any),
            new ApprovalStep("上两级", ApproverKind.ManagerLevelsUp, ApprovalMode.Any, Levels: 2));
        await using (var db = app.Db())
        {
            var request = await db.SubmitForApprovalAsync(new ApprovalSubmission(s.Type, 1, null, ids["worker"], "t", "/x", new Dictionary<string, decimal>()), s.Services, None);
            Assert.Equal(ids["lead"], Assert.Single(await db.ApprovalTasks.Where(t => t.RequestId == request.Id).ToListAsync()).ApproverId);
        }
        long id;
        await using (var db = app.Db()) id = (await db.ApprovalRequests.SingleAsync(r => r.DocumentType == s.Type)).Id;
        var lead = TestApp.As(ids["lead"], "lead" + suffix, Roles.Manager);
        await ActAsync(db => ApprovalActions.ApproveAsync(id, new(null), db, lead, s.Services, None));
        Assert.Equal(ids["mid"], (await TasksAsync(id)).Last().ApproverId);
    }

    [Fact]
    public async Task RejectAndReturn_WithoutReason_400NamingReason_NotAnApprover_403_NothingWritten()
    {
        var s = NewType();
        await FlowAsync(s, "经理", 0, [], Named("经理", ApprovalMode.Any, app.UserIds["manager"]));
        var request = await SubmitAsync(s, "rep");
        int actions;
        await using (var db = app.Db()) actions = await db.ApprovalActions.CountAsync(a => a.RequestId == request.Id);

        var noReason = Assert.IsType<ValidationProblem>(await TryAsync(db => ApprovalActions.RejectAsync(request.Id, new(" "), db, As("manager", Roles.Manager), s.Services, None)));
        Assert.True(noReason.ProblemDetails.Errors.ContainsKey("reason"));
        Assert.IsType<ValidationProblem>(await TryAsync(db => ApprovalActions.ReturnAsync(request.Id, new(null), db, As("manager", Roles.Manager), s.Services, None)));

        // The leader sees every request but is no approver of this step.
        var refused = Assert.IsType<ProblemHttpResult>(await TryAsync(db => ApprovalActions.ApproveAsync(request.Id, new(null), db, As("leader", Roles.Leader), s.Services, None)));
        Assert.Equal(403, refused.StatusCode);
        Assert.Contains("not an approver", refused.ProblemDetails.Detail);

        await using (var db = app.Db())
        {
            var stored = await db.ApprovalRequests.SingleAsync(r => r.Id == request.Id);
            Assert.Equal(ApprovalState.Pending, stored.State);
            Assert.Equal(actions, await db.ApprovalActions.CountAsync(a => a.RequestId == request.Id));
            Assert.Equal(ApprovalTaskState.Pending, (await db.ApprovalTasks.SingleAsync(t => t.RequestId == request.Id)).State);
        }
        Assert.Empty(s.Document.Decided);

        // With a reason the rejection is final, kept with who and why, and the submitter is told.
        var rejected = await ActAsync(db => ApprovalActions.RejectAsync(request.Id, new("价格低于底价"), db, As("manager", Roles.Manager), s.Services, None));
        Assert.Equal(ApprovalState.Rejected, rejected.State);
        Assert.Equal("价格低于底价", rejected.Reason);
        Assert.Equal(new ApprovalOutcome(request.Id, 1, ApprovalState.Rejected, "价格低于底价", app.UserIds["manager"]), Assert.Single(s.Document.Decided));
        Assert.IsType<Conflict<ProblemDetails>>(await TryAsync(db => ApprovalActions.ApproveAsync(request.Id, new(null), db, As("manager", Roles.Manager), s.Services, None)));
        await using (var db = app.Db())
        {
            Assert.True(await db.Notifications.AnyAsync(n => n.RecipientId == app.UserIds["rep"] && n.Event == NotificationEvent.ApprovalDecided && n.Link == $"/approvals/{request.Id}"));
            // Every action audited: the request, its tasks and its history, by who acted.
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "ApprovalRequest" && e.EntityKey == $"{s.Type} 1 approval {request.Id}"
                                                             && e.After!.Contains("Rejected")));
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "ApprovalAction" && e.EntityKey == $"approval {request.Id}" && e.After!.Contains("价格低于底价")));
        }
    }

    [Fact]
    public async Task Return_ThenResubmit_StartsANewRoundFromTheFirstStep()
    {
        var s = NewType();
        await FlowAsync(s, "两步", 0, [], Named("经理", ApprovalMode.Any, app.UserIds["manager"]), Named("领导", ApprovalMode.Any, app.UserIds["leader"]));
        var request = await SubmitAsync(s, "rep");
        await ActAsync(db => ApprovalActions.ApproveAsync(request.Id, new(null), db, As("manager", Roles.Manager), s.Services, None));
        var returned = await ActAsync(db => ApprovalActions.ReturnAsync(request.Id, new("请补充合同附件"), db, As("leader", Roles.Leader), s.Services, None));
        Assert.Equal(ApprovalState.Returned, returned.State);
        Assert.Equal(ApprovalState.Returned, Assert.Single(s.Document.Decided).State);
        Assert.True(returned.CanResubmit is false, "only the submitter resubmits");

        // Only the submitter sends it again.
        Assert.IsType<ProblemHttpResult>(await TryAsync(db => ApprovalActions.ResubmitAsync(request.Id, new(null), db, As("leader", Roles.Leader), s.Services, None)));
        var again = await ActAsync(db => ApprovalActions.ResubmitAsync(request.Id, new("已补充"), db, As("rep", Roles.Rep), s.Services, None));
        Assert.Equal(ApprovalState.Pending, again.State);
        Assert.Equal(2, again.Round);
        Assert.Equal(0, again.CurrentStep);
        Assert.Equal(app.UserIds["manager"], Assert.Single(again.Steps[0].Tasks).ApproverId);
        Assert.Equal(ApprovalTaskState.Pending, again.Steps[0].Tasks[0].State);
        Assert.Contains(again.History, h => h.Kind == ApprovalActionKind.Resubmitted && h.Comment == "已补充");

        // Submitting the document again through the feature's call also starts a new round after a return.
        await ActAsync(db => ApprovalActions.ReturnAsync(request.Id, new("再改"), db, As("manager", Roles.Manager), s.Services, None));
        var third = await SubmitAsync(s, "rep", new() { ["discountPercent"] = 3 });
        Assert.Equal(request.Id, third.Id);
        Assert.Equal(3, third.Round);
        Assert.Equal(3, third.Facts["discountPercent"]);
    }

    [Fact]
    public async Task AddApprover_TheStepWaitsForTheAddedApprover()
    {
        var s = NewType();
        await FlowAsync(s, "或签", 0, [], Named("经理", ApprovalMode.Any, app.UserIds["manager"], app.UserIds["westmanager"]));
        var request = await SubmitAsync(s, "rep");
        // Only an approver of the step adds one; the one added must be a known, active user.
        Assert.IsType<ProblemHttpResult>(await TryAsync(db => ApprovalActions.AddApproverAsync(request.Id, new([app.UserIds["finance"]], null), db, As("rep", Roles.Rep), s.Services, None)));
        var unknown = Assert.IsType<ValidationProblem>(await TryAsync(db => ApprovalActions.AddApproverAsync(request.Id, new(["nobody"], null), db, As("manager", Roles.Manager), s.Services, None)));
        Assert.True(unknown.ProblemDetails.Errors.ContainsKey("userIds"));

        var added = await ActAsync(db => ApprovalActions.AddApproverAsync(request.Id, new([app.UserIds["finance"]], "请财务确认账期"), db, As("manager", Roles.Manager), s.Services, None));
        Assert.Contains(added.Steps[0].Tasks, t => t.ApproverId == app.UserIds["finance"] && t.State == ApprovalTaskState.Pending && t.AddedById == app.UserIds["manager"]);
        Assert.Contains(added.History, h => h.Kind == ApprovalActionKind.AddedApprover && h.Users.Contains("FINANCE"));

        // The manager approves: in an "any" step the other original approver is no longer needed, but the added one still is.
        var afterManager = await ActAsync(db => ApprovalActions.ApproveAsync(request.Id, new(null), db, As("manager", Roles.Manager), s.Services, None));
        Assert.Equal(ApprovalState.Pending, afterManager.State);
        Assert.Equal(ApprovalState.Approved, (await ActAsync(db => ApprovalActions.ApproveAsync(request.Id, new(null), db, As("finance", Roles.Finance), s.Services, None))).State);
    }

    [Fact]
    public async Task Copy_ShowsInTheCopiedList_AndTellsThem_ButNotSomeoneUninvolved()
    {
        var s = NewType();
        await FlowAsync(s, "经理", 0, [], Named("经理", ApprovalMode.Any, app.UserIds["manager"]));
        var request = await SubmitAsync(s, "rep");
        Assert.IsType<NotFound>(await TryAsync(db => ApprovalActions.CopyAsync(request.Id, new([app.UserIds["engineer"]], null), db, As("westrep", Roles.Rep), s.Services, None)));
        var copied = await ActAsync(db => ApprovalActions.CopyAsync(request.Id, new([app.UserIds["engineer"]], "供参考"), db, As("rep", Roles.Rep), s.Services, None));
        Assert.Equal(app.UserIds["engineer"], Assert.Single(copied.Copies).UserId);

        await using var db = app.Db();
        var engineer = As("engineer", Roles.Engineer);
        var list = (await ApprovalViews.CopiedAsync(1, 50, db, engineer, None)).Value!;
        Assert.Contains(list.Items, i => i.Id == request.Id);
        Assert.NotNull(await ApprovalViews.DetailAsync(db, request.Id, engineer, None));
        Assert.True(await db.Notifications.AnyAsync(n => n.RecipientId == app.UserIds["engineer"] && n.Event == NotificationEvent.ApprovalCopied && n.Link == $"/approvals/{request.Id}"));
    }

    [Fact]
    public async Task Withdraw_BySubmitter_CancelsTheTasks_ByAnyoneElse_Refused()
    {
        var s = NewType();
        await FlowAsync(s, "会签", 0, [], Named("会签", ApprovalMode.All, app.UserIds["manager"], app.UserIds["leader"]));
        var request = await SubmitAsync(s, "rep");
        Assert.IsType<ProblemHttpResult>(await TryAsync(db => ApprovalActions.WithdrawAsync(request.Id, new("x"), db, As("manager", Roles.Manager), s.Services, None)));
        var withdrawn = await ActAsync(db => ApprovalActions.WithdrawAsync(request.Id, new("客户取消了询价"), db, As("rep", Roles.Rep), s.Services, None));
        Assert.Equal(ApprovalState.Withdrawn, withdrawn.State);
        Assert.All(await TasksAsync(request.Id), t => Assert.Equal(ApprovalTaskState.Cancelled, t.State));
        Assert.Equal(ApprovalState.Withdrawn, Assert.Single(s.Document.Decided).State);
        await using var db = app.Db();
        Assert.DoesNotContain((await ApprovalViews.InboxAsync(1, 500, db, As("manager", Roles.Manager), None)).Value!.Items, i => i.Id == request.Id);
    }

    [Fact]
    public async Task Visibility_ARepSeesNeitherAnotherRepsRequestNorItsList()
    {
        var s = NewType();
        await FlowAsync(s, "经理", 0, [], Named("经理", ApprovalMode.Any, app.UserIds["manager"]));
        var request = await SubmitAsync(s, "rep2", documentId: 77);
        using var rep = await app.ClientAsync("rep");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await rep.GetAsync($"/api/v1/approvals/{request.Id}")).StatusCode);
        var list = await (await rep.GetAsync($"/api/v1/approvals?documentType={s.Type}&documentId=77")).ExpectAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
        using var rep2 = await app.ClientAsync("rep2");
        var own = await (await rep2.GetAsync($"/api/v1/approvals?documentType={s.Type}&documentId=77")).ExpectAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal(1, own.GetProperty("total").GetInt32());
        var submitted = await (await rep2.GetAsync("/api/v1/approvals/submitted?pageSize=500")).ExpectAsync(System.Net.HttpStatusCode.OK);
        Assert.Contains(submitted.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == request.Id);
        // The approver sees it in the inbox, and its detail with history.
        using var manager = await app.ClientAsync("manager");
        var inbox = await (await manager.GetAsync("/api/v1/approvals/inbox?pageSize=500")).ExpectAsync(System.Net.HttpStatusCode.OK);
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == request.Id);
        var detail = await (await manager.GetAsync($"/api/v1/approvals/{request.Id}")).ExpectAsync(System.Net.HttpStatusCode.OK);
        Assert.True(detail.GetProperty("canDecide").GetBoolean());
        Assert.Equal("Submitted", detail.GetProperty("history")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Flows_BadStepsOrUnknownType_400NamingTheField_RepCannotManageFlows()
    {
        using var admin = await app.ClientAsync("admin");
        var bad = await (await admin.PostJsonAsync("/api/v1/approval-flows", new
        {
            documentType = "NoSuchDocument",
            name = "x",
            steps = new object[] { new { name = "a", kind = "ManagerLevelsUp", mode = "Any", levels = 0 }, new { name = "b", kind = "NamedUsers", mode = "All", userIds = Array.Empty<string>() } },
        })).ExpectAsync(System.Net.HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        Assert.True(errors.TryGetProperty("documentType", out _));
        Assert.True(errors.TryGetProperty("steps[0].levels", out _));
        Assert.True(errors.TryGetProperty("steps[1].userIds", out _));

        using var rep = await app.ClientAsync("rep");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/approval-flows")).StatusCode);
        var flows = await (await admin.GetAsync("/api/v1/approval-flows?documentType=EvaluationRun")).ExpectAsync(System.Net.HttpStatusCode.OK);
        var flow = flows.GetProperty("items")[0];
        Assert.Equal("Role", flow.GetProperty("steps")[0].GetProperty("kind").GetString());
        Assert.Equal("Leader", flow.GetProperty("steps")[0].GetProperty("role").GetString());
    }
}
