using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Approvals;

/// <summary>
/// What people do with a request: approve, reject (a reason required), return to the submitter (退回, a reason required), add an
/// approver to the step (加签), copy to someone (抄送), withdraw (the submitter), submit again after a return. Each action is one
/// transaction: the request, tasks and history change together, the document hears of a decision in it, and everything is audited.
/// </summary>
public static class ApprovalActions
{
    public sealed record CommentRequest(string? Comment);

    public sealed record ReasonRequest(string? Reason);

    public sealed record PeopleRequest(IReadOnlyList<string>? UserIds, string? Comment);

    /// <summary>An action's answer: the request as the caller now sees it, or why not.</summary>
    public static async Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> ApproveAsync(
        long id, CommentRequest request, AppDb db, CurrentUser user, IServiceProvider services, CancellationToken ct) =>
        await ActAsync(db, id, user, services, new Validation().MaxLength("comment", request?.Comment, 500), async (engine, r) =>
        {
            var (task, refused) = await DeciderTaskAsync(db, engine, r, user, ct);
            if (refused is not null) return refused;
            await engine.ApproveAsync(r, task!, request?.Comment.Trimmed(), ct);
            return null;
        }, ct);

    public static Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> RejectAsync(
        long id, ReasonRequest request, AppDb db, CurrentUser user, IServiceProvider services, CancellationToken ct) =>
        EndAsync(id, ApprovalState.Rejected, request, db, user, services, ct);

    public static Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> ReturnAsync(
        long id, ReasonRequest request, AppDb db, CurrentUser user, IServiceProvider services, CancellationToken ct) =>
        EndAsync(id, ApprovalState.Returned, request, db, user, services, ct);

    private static async Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> EndAsync(
        long id, ApprovalState decision, ReasonRequest request, AppDb db, CurrentUser user, IServiceProvider services, CancellationToken ct) =>
        await ActAsync(db, id, user, services, new Validation().Require("reason", request?.Reason, 500), async (engine, r) =>
        {
            var (task, refused) = await DeciderTaskAsync(db, engine, r, user, ct);
            if (refused is not null) return refused;
            var reason = request!.Reason!.Trim();
            task!.State = decision == ApprovalState.Rejected ? ApprovalTaskState.Rejected : ApprovalTaskState.Returned;
            task.DecidedAt = engine.Now;
            task.Comment = reason;
            engine.History(r, decision == ApprovalState.Rejected ? ApprovalActionKind.Rejected : ApprovalActionKind.Returned, reason, r.CurrentStep);
            await engine.FinishAsync(r, decision, reason, ct);
            return null;
        }, ct);

    /// <summary>加签: an approver of the current step asks others too; the step waits for them as well (in a sequential step, right after the one who added them).</summary>
    public static async Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> AddApproverAsync(
        long id, PeopleRequest request, AppDb db, CurrentUser user, IServiceProvider services, CancellationToken ct)
    {
        var (v, people) = await PeopleAsync(db, request, ct);
        return await ActAsync(db, id, user, services, v, async (engine, r) =>
        {
            var (task, refused) = await DeciderTaskAsync(db, engine, r, user, ct);
            if (refused is not null) return refused;
            var step = r.Steps[r.CurrentStep];
            var tasks = await engine.StepTasksAsync(r, ct);
            var already = people.Where(p => tasks.Any(t => t.ApproverId == p && t.State is ApprovalTaskState.Pending or ApprovalTaskState.Waiting or ApprovalTaskState.Approved)).ToList();
            if (already.Count > 0)
                return Validation.Single("userIds", $"Already an approver of this step: {string.Join(", ", (await ApprovalViews.NamesAsync(db, already, ct)).Values)}.");
            var sequential = step.Mode == ApprovalMode.Sequential;
            foreach (var p in people)
                db.ApprovalTasks.Add(new ApprovalTask
                {
                    RequestId = r.Id,
                    Round = r.Round,
                    Step = r.CurrentStep,
                    Position = task!.Position,
                    ApproverId = p,
                    AddedById = user.Id,
                    CreatedAt = engine.Now,
                    State = sequential ? ApprovalTaskState.Waiting : ApprovalTaskState.Pending,
                    ActivatedAt = sequential ? null : engine.Now,
                });
            if (!sequential) engine.Assigned(people);
            engine.History(r, ApprovalActionKind.AddedApprover, request.Comment.Trimmed(), r.CurrentStep, people);
            return null;
        }, ct);
    }

    /// <summary>抄送: the submitter, an approver, a leader or an administrator tells others of the request; it shows in their "copied to me".</summary>
    public static async Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> CopyAsync(
        long id, PeopleRequest request, AppDb db, CurrentUser user, IServiceProvider services, CancellationToken ct)
    {
        var (v, people) = await PeopleAsync(db, request, ct);
        return await ActAsync(db, id, user, services, v, async (engine, r) =>
        {
            var involved = r.SubmitterId == user.Id || user.EditsEverything || await db.ApprovalTasks.AnyAsync(t => t.RequestId == r.Id && t.ApproverId == user.Id, ct);
            if (!involved)
                return Problems.Forbidden("Not involved", $"Only the submitter, an approver, a leader or an administrator copies request {r.Id} to others.");
            var copied = await db.ApprovalCopies.Where(c => c.RequestId == r.Id).Select(c => c.UserId).ToListAsync(ct);
            var fresh = people.Where(p => !copied.Contains(p)).ToList();
            foreach (var p in fresh) db.ApprovalCopies.Add(new ApprovalCopy { RequestId = r.Id, UserId = p, CopiedById = user.Id, At = engine.Now });
            engine.Copied(fresh);
            engine.History(r, ApprovalActionKind.Copied, request.Comment.Trimmed(), r.State == ApprovalState.Pending ? r.CurrentStep : null, people);
            return null;
        }, ct);
    }

    /// <summary>The submitter takes back a request that is pending or was returned to them.</summary>
    public static async Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> WithdrawAsync(
        long id, ReasonRequest request, AppDb db, CurrentUser user, IServiceProvider services, CancellationToken ct) =>
        await ActAsync(db, id, user, services, new Validation().MaxLength("reason", request?.Reason, 500), async (engine, r) =>
        {
            if (r.SubmitterId != user.Id) return Problems.Forbidden("Not the submitter", $"Only the submitter withdraws request {r.Id}.");
            if (r.State is not (ApprovalState.Pending or ApprovalState.Returned))
                return Problems.Conflict("Request decided", $"Request {r.Id} is {r.State}: only a pending or returned request is withdrawn.");
            var reason = request?.Reason.Trimmed();
            engine.History(r, ApprovalActionKind.Withdrawn, reason, r.State == ApprovalState.Pending ? r.CurrentStep : null);
            await engine.FinishAsync(r, ApprovalState.Withdrawn, reason, ct);
            return null;
        }, ct);

    /// <summary>The submitter sends a returned request again: a new round from the first step of the flow its facts choose.</summary>
    public static async Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> ResubmitAsync(
        long id, CommentRequest request, AppDb db, CurrentUser user, IServiceProvider services, CancellationToken ct) =>
        await ActAsync(db, id, user, services, new Validation().MaxLength("comment", request?.Comment, 500), async (engine, r) =>
        {
            if (r.SubmitterId != user.Id) return Problems.Forbidden("Not the submitter", $"Only the submitter submits request {r.Id} again.");
            if (r.State != ApprovalState.Returned)
                return Problems.Conflict("Request not returned", $"Request {r.Id} is {r.State}: only a returned request is submitted again.");
            r.Round++;
            r.State = ApprovalState.Pending;
            (r.Reason, r.DecidedAt, r.DecidedById) = (null, null, null);
            engine.History(r, ApprovalActionKind.Resubmitted, request?.Comment.Trimmed());
            await engine.Document.OnResubmittedAsync(db, r, ct);
            await engine.StartAsync(r, ct);
            return null;
        }, ct);

    private static async Task<(Validation, List<string>)> PeopleAsync(AppDb db, PeopleRequest? request, CancellationToken ct)
    {
        var v = new Validation().MaxLength("comment", request?.Comment, 500);
        var ids = (request?.UserIds ?? []).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).Distinct().ToList();
        if (ids.Count == 0) v.Add("userIds", $"Name at least one person.");
        else if (ids.Count > 50) v.Add("userIds", $"Name at most {50} people.");
        else
        {
            var known = await db.Users.Where(u => ids.Contains(u.Id) && u.IsActive).Select(u => u.Id).ToListAsync(ct);
            var unknown = ids.Where(i => !known.Contains(i)).ToList();
            if (unknown.Count > 0) v.Add("userIds", $"No active user has the id {string.Join(", ", unknown)}.");
        }
        return (v, ids);
    }

    /// <summary>The caller's pending task in the request's current step, or why they may not decide it.</summary>
    private static async Task<(ApprovalTask? Task, IResult? Problem)> DeciderTaskAsync(AppDb db, ApprovalEngine engine, ApprovalRequest r, CurrentUser user, CancellationToken ct)
    {
        if (r.State != ApprovalState.Pending)
            return (null, Problems.Conflict("Request decided", $"Request {r.Id} is {r.State}: it awaits no decision."));
        var mine = (await engine.StepTasksAsync(r, ct)).Where(t => t.ApproverId == user.Id).ToList();
        if (mine.FirstOrDefault(t => t.State == ApprovalTaskState.Pending) is { } task) return (task, null);
        if (mine.Any(t => t.State == ApprovalTaskState.Waiting))
            return (null, Problems.Conflict("Not your turn", $"Request {r.Id} goes to its approvers one after another: it is not your turn yet."));
        return (null, Problems.Forbidden("Not an approver", $"You are not an approver of the current step of request {r.Id}."));
    }

    private static async Task<Results<Ok<ApprovalRequestDto>, NotFound, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> ActAsync(
        AppDb db, long id, CurrentUser user, IServiceProvider? services, Validation v, Func<ApprovalEngine, ApprovalRequest, Task<IResult?>> act, CancellationToken ct)
    {
        var request = await db.VisibleTo(user).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (request is null) return TypedResults.NotFound();
        if (!v.IsValid) return v.Problem();
        var document = ApprovalDocuments.For(request.DocumentType, services);
        if (document is null) return Problems.Conflict("Unknown document type", $"Nothing handles documents of type {request.DocumentType} any more.");
        await using (var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null)
        {
            var engine = new ApprovalEngine(db, document, user.Id);
            switch (await act(engine, request))
            {
                case ValidationProblem problem: return problem;
                case ProblemHttpResult problem: return problem;
                case Conflict<ProblemDetails> problem: return problem;
            }
            request.UpdatedAt = engine.Now;
            try
            {
                await db.SaveChangesAsync(ct);
                await engine.AfterSaveAsync(request, ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Problems.Conflict("Request changed", $"Request {id} was acted on by someone else meanwhile: reload it.");
            }
            catch (ApprovalConflictException e)
            {
                return Problems.Conflict("Document refused", $"{e.Message}");
            }
            if (tx is not null) await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        return TypedResults.Ok((await ApprovalViews.DetailAsync(db, id, user, ct))!);
    }
}
