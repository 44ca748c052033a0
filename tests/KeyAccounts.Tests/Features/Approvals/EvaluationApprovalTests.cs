using System.Net;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Approvals;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KeyAccounts.Tests.Features.Evaluation.EvaluationFixture;

namespace KeyAccounts.Tests.Features.Approvals;

/// <summary>Evaluation runs on the approval engine: a run's request in the leaders' inbox, approved there or through API.md's approve endpoint.</summary>
[Collection(AppCollection.Name)]
public sealed class EvaluationApprovalTests(TestApp app)
{
    private async Task<(long RunId, long AccountId)> ProposedRunAsync(int year, string by)
    {
        var model = await ActiveModelAsync(app, BandModel("Engine " + TestApp.Unique("M")));
        var account = await AccountAsync(app, "rep");
        await TransactionsAsync(app, account, new DateOnly(year, 5, 1), 2_000_000);
        var run = await RunAsync(app, model, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), by);
        return (run.GetProperty("id").GetInt64(), account);
    }

    [Fact]
    public async Task InboxApprove_ByALeader_PublishesTheRun()
    {
        var (runId, account) = await ProposedRunAsync(2051, "manager");
        using var leader = await app.ClientAsync("leader");
        var before = (await (await leader.GetAsync("/api/v1/approvals/inbox/count")).ExpectAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32();
        var history = await (await leader.GetAsync($"/api/v1/approvals?documentType=EvaluationRun&documentId={runId}")).ExpectAsync(HttpStatusCode.OK);
        var request = history.GetProperty("items")[0];
        Assert.Equal("Pending", request.GetProperty("state").GetString());
        Assert.Equal($"/evaluation/runs/{runId}", request.GetProperty("link").GetString());
        var id = request.GetProperty("id").GetInt64();
        var inbox = await (await leader.GetAsync("/api/v1/approvals/inbox?pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == id);

        // A manager is no approver of the run: refused with a problem that says so, nothing published.
        using var manager = await app.ClientAsync("manager");
        var refused = await (await manager.PostJsonAsync($"/api/v1/approvals/{id}/approve", new { comment = "ok" })).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Contains("not an approver", refused.GetProperty("detail").GetString());
        var noReason = await (await leader.PostJsonAsync($"/api/v1/approvals/{id}/reject", new { reason = "" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));

        var approved = await (await leader.PostJsonAsync($"/api/v1/approvals/{id}/approve", new { comment = "同意发布" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Approved", approved.GetProperty("state").GetString());
        Assert.Equal(before - 1, (await (await leader.GetAsync("/api/v1/approvals/inbox/count")).ExpectAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        await using var db = app.Db();
        var run = await db.EvaluationRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(RunStatus.Published, run.Status);
        Assert.Equal(app.UserIds["leader"], run.PublishedById);
        Assert.Equal(Tier.Key, (await db.Accounts.SingleAsync(a => a.Id == account)).Tier);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "Account" && e.AccountId == account && e.After!.Contains($"\"EvaluationRun\":{runId}")));
        // The leader's approval is audited as theirs: the request and the history row.
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "ApprovalRequest" && e.EntityKey == $"EvaluationRun {runId} approval {id}" && e.UserName == "leader"
                                                         && e.After!.Contains("Approved")));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "ApprovalAction" && e.EntityKey == $"approval {id}" && e.UserName == "leader" && e.After!.Contains("同意发布")));
    }

    [Fact]
    public async Task ApproveEndpoint_ByAnAdministratorWhoIsNoApprover_PublishesAtOnceAndClosesTheRequest()
    {
        var (runId, account) = await ProposedRunAsync(2052, "manager");
        using var admin = await app.ClientAsync("admin");
        var approved = await (await admin.PostAsync($"/api/v1/evaluation/runs/{runId}/approve", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Published", approved.GetProperty("status").GetString());
        await using var db = app.Db();
        Assert.Equal(Tier.Key, (await db.Accounts.SingleAsync(a => a.Id == account)).Tier);
        var request = await db.ApprovalRequests.SingleAsync(r => r.DocumentType == "EvaluationRun" && r.DocumentId == runId);
        Assert.Equal(ApprovalState.Approved, request.State);
        Assert.Equal(app.UserIds["admin"], request.DecidedById);
        Assert.True(await db.ApprovalActions.AnyAsync(a => a.RequestId == request.Id && a.Kind == ApprovalActionKind.DecidedForAll && a.ActorId == app.UserIds["admin"]));
        // The leaders' tasks are closed: nothing waits in their inbox for this run any more.
        Assert.All(await db.ApprovalTasks.Where(t => t.RequestId == request.Id).ToListAsync(), t => Assert.Equal(ApprovalTaskState.Cancelled, t.State));
    }

    [Fact]
    public async Task ApproveEndpoint_RunWithoutARequest_CreatesItAndPublishes()
    {
        var (runId, _) = await ProposedRunAsync(2053, "leader");
        await using (var db = app.Db())
            await db.ApprovalRequests.Where(r => r.DocumentType == "EvaluationRun" && r.DocumentId == runId).ExecuteDeleteAsync();
        using var leader = await app.ClientAsync("leader");
        await (await leader.PostAsync($"/api/v1/evaluation/runs/{runId}/approve", null)).ExpectAsync(HttpStatusCode.OK);
        await using (var db = app.Db())
        {
            var request = await db.ApprovalRequests.SingleAsync(r => r.DocumentType == "EvaluationRun" && r.DocumentId == runId);
            Assert.Equal(ApprovalState.Approved, request.State);
            Assert.Equal(RunStatus.Published, (await db.EvaluationRuns.SingleAsync(r => r.Id == runId)).Status);
        }
    }

    [Fact]
    public async Task ReturnEndpoint_ReturnsTheRequestToo_SubmitStartsANewRound()
    {
        var (runId, _) = await ProposedRunAsync(2054, "manager");
        using var leader = await app.ClientAsync("leader");
        using var manager = await app.ClientAsync("manager");
        await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{runId}/return", new { reason = "补充评分" })).ExpectAsync(HttpStatusCode.OK);
        await using (var db = app.Db())
        {
            var request = await db.ApprovalRequests.SingleAsync(r => r.DocumentType == "EvaluationRun" && r.DocumentId == runId);
            Assert.Equal(ApprovalState.Returned, request.State);
            Assert.Equal("补充评分", request.Reason);
        }
        await (await manager.PostAsync($"/api/v1/evaluation/runs/{runId}/submit", null)).ExpectAsync(HttpStatusCode.OK);
        await using (var db = app.Db())
        {
            var request = await db.ApprovalRequests.SingleAsync(r => r.DocumentType == "EvaluationRun" && r.DocumentId == runId);
            Assert.Equal(ApprovalState.Pending, request.State);
            Assert.Equal(2, request.Round);
            Assert.True(await db.ApprovalTasks.AnyAsync(t => t.RequestId == request.Id && t.Round == 2 && t.ApproverId == app.UserIds["leader"] && t.State == ApprovalTaskState.Pending));
        }
    }
}
