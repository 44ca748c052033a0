using KeyAccounts.Data;
using KeyAccounts.Features.Approvals;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Evaluation;

/// <summary>
/// A leader's decisions on a run awaiting approval: approve (publish, confirmed against the summary of what changes), reject
/// (final) or return it to its author with a reason; the author submits a returned run again. Each decision keeps who, when and
/// why on the run (audited), the states an approval engine would give the run as a document.
/// </summary>
public static class RunDecisions
{
    /// <param name="Confirm">False asks what publishing would change instead of publishing (the page confirms in a dialog).</param>
    /// <param name="SummaryVersion">The <c>version</c> of the publication summary the leader looked at; when given, the changes must still be those.</param>
    public sealed record ApproveRequest(bool? Confirm, string? SummaryVersion);

    public sealed record DecisionRequest(string? Reason);

    /// <summary>
    /// API.md <c>POST /api/v1/evaluation/runs/{id}/approve</c>: the bare POST publishes, as the contract says. A body may hold the
    /// <c>summaryVersion</c> the leader reviewed (409 when what would change is no longer that), or <c>confirm: false</c> (400
    /// naming <c>confirm</c>, with what would change and the summary's version to confirm).
    /// </summary>
    public static async Task<Results<Ok<EvaluationRunDto>, NotFound, ForbidHttpResult, ValidationProblem, Conflict<ProblemDetails>>> ApproveAsync(
        long id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ApproveRequest request, AppDb db, CurrentUser user, TimeProvider clock, IServiceProvider services,
        CancellationToken ct)
    {
        if (!user.EditsEverything) return TypedResults.Forbid();
        var run = await db.EvaluationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return TypedResults.NotFound();
        if (run.Status == RunStatus.Published)
            return Problems.Conflict("Run published", $"Run {id} was already published on {run.PublishedAt:yyyy-MM-dd}.");
        if (run.Status != RunStatus.Proposed)
            return Problems.Conflict("Run not awaiting approval", $"Run {id} is {run.Status}: only a run awaiting approval can be published.");
        var moves = await RunPublication.MovesAsync(db, id, ct);
        var version = RunPublication.VersionOf(moves);
        // An empty body binds null: the contract's bare POST, which publishes.
        if (request?.Confirm == false)
        {
            var c = RunPublication.Counts.Of(moves);
            var problem = Validation.Single("confirm",
                $"Publishing run {id} changes the tier of {c.Total} accounts ({c.Entered} enter the key accounts, {c.Left} leave them, {c.Up} move up, {c.Down} move down). Review GET /api/v1/evaluation/runs/{id}/publication, then send confirm: true with summaryVersion {version}.");
            problem.ProblemDetails.Extensions["summaryVersion"] = version;
            return problem;
        }
        if (request?.SummaryVersion.Trimmed() is { } seen && seen != version)
            return Problems.Conflict("Changes differ", $"What run {id} would change is no longer the summary you confirmed (version {seen}, now {version}): review it again.");
        return (await EvaluationRuns.ApproveAsync(id, db, user, clock, ct, services)).Result switch
        {
            Ok<EvaluationRunDto> ok => ok,
            NotFound nf => nf,
            ForbidHttpResult f => f,
            Conflict<ProblemDetails> conflict => conflict,
            _ => throw new InvalidOperationException("Unexpected result of publishing."),
        };
    }

    /// <summary><c>POST /api/v1/evaluation/runs/{id}/reject</c> <c>{ "reason" }</c> (Leader or Admin): the run will not be published.</summary>
    public static Task<Results<Ok<EvaluationRunDto>, NotFound, ForbidHttpResult, ValidationProblem, Conflict<ProblemDetails>>> RejectAsync(
        long id, DecisionRequest request, AppDb db, CurrentUser user, TimeProvider clock, IServiceProvider services, CancellationToken ct) =>
        DecideAsync(id, RunStatus.Rejected, request, db, user, clock, services, ct);

    /// <summary><c>POST /api/v1/evaluation/runs/{id}/return</c> <c>{ "reason" }</c> (Leader or Admin): back to its author to rework and submit again.</summary>
    public static Task<Results<Ok<EvaluationRunDto>, NotFound, ForbidHttpResult, ValidationProblem, Conflict<ProblemDetails>>> ReturnAsync(
        long id, DecisionRequest request, AppDb db, CurrentUser user, TimeProvider clock, IServiceProvider services, CancellationToken ct) =>
        DecideAsync(id, RunStatus.Returned, request, db, user, clock, services, ct);

    private static async Task<Results<Ok<EvaluationRunDto>, NotFound, ForbidHttpResult, ValidationProblem, Conflict<ProblemDetails>>> DecideAsync(
        long id, RunStatus decision, DecisionRequest request, AppDb db, CurrentUser user, TimeProvider clock, IServiceProvider? services, CancellationToken ct)
    {
        if (!user.EditsEverything) return TypedResults.Forbid();
        var run = await db.EvaluationRuns.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return TypedResults.NotFound();
        var v = new Validation().Require("reason", request.Reason, 500);
        if (!v.IsValid) return v.Problem();
        // A returned run may still be rejected; nothing else but a run awaiting approval is decided.
        if (run.Status != RunStatus.Proposed && !(run.Status == RunStatus.Returned && decision == RunStatus.Rejected))
            return Problems.Conflict("Run not awaiting approval", $"Run {id} is {run.Status}: only a run awaiting approval can be decided.");
        // The run's request in the approval engine is decided for every step at once; the engine writes the decision on the run.
        db.Clock = clock;
        var state = decision == RunStatus.Rejected ? ApprovalState.Rejected : ApprovalState.Returned;
        if (await db.DecideForDocumentAsync(ApprovalFlows.EvaluationRun, id, state, request.Reason!.Trim(), user,
                () => EvaluationRunApproval.Submission(run, run.CreatedById), services, ct) is { } refused)
            return Problems.Conflict("Run changed", refused);
        return TypedResults.Ok(EvaluationRunDto.From(run));
    }

    /// <summary><c>POST /api/v1/evaluation/runs/{id}/submit</c> (Manager or above): a returned run awaits approval again; the leaders are told.</summary>
    public static async Task<Results<Ok<EvaluationRunDto>, NotFound, ForbidHttpResult, Conflict<ProblemDetails>>> SubmitAsync(
        long id, AppDb db, CurrentUser user, IServiceProvider? services, CancellationToken ct)
    {
        if (!user.IsManagerOrAbove) return TypedResults.Forbid();
        var run = await db.EvaluationRuns.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return TypedResults.NotFound();
        if (run.Status != RunStatus.Returned)
            return Problems.Conflict("Run not returned", $"Run {id} is {run.Status}: only a returned run is submitted again.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        run.Status = RunStatus.Proposed;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Run changed", $"Run {id} was changed by someone else meanwhile.");
        }
        // The returned request goes round again; its approvers are told (EvaluationRunApproval words it).
        await db.SubmitForApprovalAsync(EvaluationRunApproval.Submission(run, user.Id), services, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(EvaluationRunDto.From(run));
    }
}
