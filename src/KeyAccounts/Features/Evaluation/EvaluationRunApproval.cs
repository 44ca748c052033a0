using KeyAccounts.Data;
using KeyAccounts.Features.Approvals;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Evaluation;

/// <summary>
/// An evaluation run as a document of the approval engine: approving its request publishes the run (the same code as the
/// <c>…/approve</c> endpoint), rejecting or returning it records the decision on the run, withdrawing it returns it to its author.
/// </summary>
public sealed class EvaluationRunApproval : IApprovalDocument
{
    public string DocumentType => ApprovalFlows.EvaluationRun;

    public static ApprovalSubmission Submission(EvaluationRun run, string? submitterId) => new(ApprovalFlows.EvaluationRun, run.Id, null, submitterId ?? "",
        $"{run.ModelName} v{run.ModelVersion} {run.PeriodStart:yyyy-MM-dd} – {run.PeriodEnd:yyyy-MM-dd}", $"/evaluation/runs/{run.Id}",
        new Dictionary<string, decimal> { ["accounts"] = run.AccountCount });

    public async Task OnDecidedAsync(AppDb db, ApprovalOutcome outcome, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.FirstOrDefaultAsync(r => r.Id == outcome.DocumentId, ct)
                  ?? throw new ApprovalConflictException($"Run {outcome.DocumentId} no longer exists.");
        var now = db.Clock.GetUtcNow().UtcDateTime;
        if (outcome.State == ApprovalState.Approved)
        {
            if (run.Status == RunStatus.Published) return;
            if (run.Status != RunStatus.Proposed)
                throw new ApprovalConflictException($"Run {run.Id} is {run.Status}: only a run awaiting approval can be published.");
            var userName = await db.Users.Where(u => u.Id == outcome.DecidedById).Select(u => u.UserName).FirstOrDefaultAsync(ct) ?? "system";
            await EvaluationRuns.PublishAsync(db, run, outcome.DecidedById, userName, now, ct);
            return;
        }
        // A returned run may still be rejected; a withdrawn one goes back to its author like a returned one.
        if (run.Status != RunStatus.Proposed && !(run.Status == RunStatus.Returned && outcome.State is ApprovalState.Rejected or ApprovalState.Withdrawn))
            throw new ApprovalConflictException($"Run {run.Id} is {run.Status}: only a run awaiting approval can be decided.");
        run.Status = outcome.State == ApprovalState.Rejected ? RunStatus.Rejected : RunStatus.Returned;
        run.DecidedAt = now;
        run.DecidedById = outcome.DecidedById;
        run.DecisionReason = outcome.Reason;
        await db.SaveChangesAsync(ct);
    }

    public async Task OnResubmittedAsync(AppDb db, ApprovalRequest request, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.FirstOrDefaultAsync(r => r.Id == request.DocumentId, ct)
                  ?? throw new ApprovalConflictException($"Run {request.DocumentId} no longer exists.");
        if (run.Status != RunStatus.Returned)
            throw new ApprovalConflictException($"Run {run.Id} is {run.Status}: only a returned run is submitted again.");
        run.Status = RunStatus.Proposed;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The approvers read what publishing would change (<see cref="RunNotifications.AwaitingApprovalAsync"/>).</summary>
    public async Task<bool> NotifyAssignedAsync(AppDb db, ApprovalRequest request, IReadOnlyCollection<string> approverIds, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.FirstOrDefaultAsync(r => r.Id == request.DocumentId, ct);
        if (run is null) return false;
        await RunNotifications.AwaitingApprovalAsync(db, run, approverIds, ct);
        return true;
    }

    /// <summary>The author hears of a rejection or return as before; a publication tells the owners whose accounts moved.</summary>
    public async Task<bool> NotifyDecidedAsync(AppDb db, ApprovalRequest request, ApprovalOutcome outcome, CancellationToken ct)
    {
        if (outcome.State is ApprovalState.Rejected or ApprovalState.Returned
            && await db.EvaluationRuns.FirstOrDefaultAsync(r => r.Id == request.DocumentId, ct) is { } run)
            await RunNotifications.DecidedAsync(db, run, outcome.DecidedById, ct);
        return true;
    }
}
