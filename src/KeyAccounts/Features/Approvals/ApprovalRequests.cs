using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Approvals;

/// <summary>
/// The approval engine's use cases on <see cref="AppDb"/>: submitting a document, and deciding a document's request for every step
/// at once from the document's own endpoint. The approvers' actions are in <see cref="ApprovalActions"/>.
/// </summary>
public static class ApprovalRequests
{
    /// <summary>
    /// Chooses the flow (by document type and the flows' conditions on the facts), resolves the first step's approvers, creates the
    /// request and notifies them. A document with no matching flow is approved at once (<see cref="IApprovalDocument.OnDecidedAsync"/>
    /// called), as its history says. A document whose request was returned is submitted again (a new round of that request, with the
    /// new facts); one whose request is still pending gets that request back unchanged. Runs in the caller's transaction, if any.
    /// </summary>
    public static async Task<ApprovalRequest> SubmitForApprovalAsync(this AppDb db, ApprovalSubmission s, IServiceProvider? services, CancellationToken ct)
    {
        var document = ApprovalDocuments.For(s.DocumentType, services)
                       ?? throw new InvalidOperationException($"No IApprovalDocument handles the document type {s.DocumentType}.");
        var submitter = string.IsNullOrEmpty(s.SubmitterId) ? null : s.SubmitterId;
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var open = await OpenRequestAsync(db, s.DocumentType, s.DocumentId, ct);
        if (open is { State: ApprovalState.Pending })
        {
            if (tx is not null) await tx.CommitAsync(ct);
            return open;
        }
        var engine = new ApprovalEngine(db, document, submitter);
        var request = open ?? new ApprovalRequest { DocumentType = s.DocumentType, DocumentId = s.DocumentId, Title = "", Link = "" };
        request.AccountId = s.AccountId;
        request.SubmitterId = submitter;
        request.Title = Cut(s.Title, 300);
        request.Link = Cut(s.Link, 400);
        request.Facts = new Dictionary<string, decimal>(s.Facts);
        request.UpdatedAt = engine.Now;
        if (open is null)
        {
            request.SubmittedAt = engine.Now;
            request.State = ApprovalState.Pending;
            db.ApprovalRequests.Add(request);
            await db.SaveChangesAsync(ct);
            engine.History(request, ApprovalActionKind.Submitted, null);
        }
        else
        {
            request.Round++;
            request.State = ApprovalState.Pending;
            request.Reason = null;
            request.DecidedAt = null;
            request.DecidedById = null;
            engine.History(request, ApprovalActionKind.Resubmitted, null);
        }
        await engine.StartAsync(request, ct);
        await db.SaveChangesAsync(ct);
        await engine.AfterSaveAsync(request, ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return request;
    }

    /// <summary>The document's request still under way (pending, or returned to its submitter), if any.</summary>
    public static Task<ApprovalRequest?> OpenRequestAsync(AppDb db, string documentType, long documentId, CancellationToken ct) =>
        db.ApprovalRequests.Where(r => r.DocumentType == documentType && r.DocumentId == documentId
                                       && (r.State == ApprovalState.Pending || r.State == ApprovalState.Returned))
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);

    /// <summary>
    /// A document's own decision endpoint (e.g. <c>POST /api/v1/evaluation/runs/{id}/approve</c>) deciding its open request for every
    /// remaining step at once, as <paramref name="by"/>: the caller has checked that they may. A document without a request gets one
    /// (from <paramref name="submission"/>) that is decided at once. Returns the conflict's message when the request or the document
    /// refuses; nothing is written then.
    /// </summary>
    public static async Task<FormattableString?> DecideForDocumentAsync(this AppDb db, string documentType, long documentId, ApprovalState decision,
        string? reason, CurrentUser by, Func<ApprovalSubmission> submission, IServiceProvider? services, CancellationToken ct)
    {
        var document = ApprovalDocuments.For(documentType, services)
                       ?? throw new InvalidOperationException($"No IApprovalDocument handles the document type {documentType}.");
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var engine = new ApprovalEngine(db, document, by.Id);
        var request = await OpenRequestAsync(db, documentType, documentId, ct);
        if (request is null)
        {
            var s = submission();
            request = new ApprovalRequest
            {
                DocumentType = documentType,
                DocumentId = documentId,
                AccountId = s.AccountId,
                SubmitterId = string.IsNullOrEmpty(s.SubmitterId) ? null : s.SubmitterId,
                Title = Cut(s.Title, 300),
                Link = Cut(s.Link, 400),
                Facts = new Dictionary<string, decimal>(s.Facts),
                State = ApprovalState.Pending,
                SubmittedAt = engine.Now,
                UpdatedAt = engine.Now,
            };
            db.ApprovalRequests.Add(request);
            await db.SaveChangesAsync(ct);
            engine.History(request, ApprovalActionKind.Submitted, null, actorId: request.SubmitterId);
        }
        else if (request.State == ApprovalState.Returned && decision != ApprovalState.Rejected)
        {
            return $"Request {request.Id} was returned to its submitter: it awaits their submission, not a decision.";
        }
        var mine = await db.ApprovalTasks.Where(t => t.RequestId == request.Id && t.Round == request.Round && t.Step == request.CurrentStep
                                                     && t.ApproverId == by.Id && t.State == ApprovalTaskState.Pending).FirstOrDefaultAsync(ct);
        if (mine is not null)
        {
            mine.State = decision switch { ApprovalState.Rejected => ApprovalTaskState.Rejected, ApprovalState.Returned => ApprovalTaskState.Returned, _ => ApprovalTaskState.Approved };
            mine.DecidedAt = engine.Now;
            mine.Comment = reason;
        }
        engine.History(request, ApprovalActionKind.DecidedForAll, reason, step: request.CurrentStep >= 0 ? request.CurrentStep : null,
            users: [decision.ToString()]);
        await engine.FinishAsync(request, decision, reason, ct);
        request.UpdatedAt = engine.Now;
        try
        {
            await db.SaveChangesAsync(ct);
            await engine.AfterSaveAsync(request, ct);
        }
        catch (ApprovalConflictException e)
        {
            return $"{e.Message}";
        }
        catch (DbUpdateConcurrencyException)
        {
            return $"Request {request.Id} was acted on by someone else meanwhile: reload it.";
        }
        if (tx is not null) await tx.CommitAsync(ct);
        return null;
    }

    internal static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}

/// <summary>The steps of one action on one request: what changes, the history it writes, what happens after the save.</summary>
internal sealed class ApprovalEngine(AppDb db, IApprovalDocument document, string? actorId)
{
    public DateTime Now { get; } = db.Clock.GetUtcNow().UtcDateTime;
    public string? ActorId { get; } = actorId;
    public IApprovalDocument Document { get; } = document;

    /// <summary>Approvers whose task became theirs to decide in this action, by step: told after the save.</summary>
    private readonly List<string> assigned = [];
    private readonly List<string> copied = [];
    private ApprovalOutcome? decided;

    public void Copied(IEnumerable<string> users) => copied.AddRange(users);

    public void Assigned(IEnumerable<string> users) => assigned.AddRange(users);

    public void History(ApprovalRequest request, ApprovalActionKind kind, string? comment, int? step = null, IReadOnlyList<string>? users = null,
        string? actorId = null) =>
        db.ApprovalActions.Add(new ApprovalAction
        {
            RequestId = request.Id,
            Round = request.Round,
            Step = step,
            Kind = kind,
            ActorId = actorId ?? ActorId,
            At = Now,
            Comment = comment,
            UserIds = users is { Count: > 0 } ? [.. users] : null,
        });

    /// <summary>Chooses the flow for the request's facts and starts its first step; with no flow, approves the request at once.</summary>
    public async Task StartAsync(ApprovalRequest request, CancellationToken ct)
    {
        var flows = await db.ApprovalFlows.AsNoTracking().Where(f => f.DocumentType == request.DocumentType && f.IsActive)
            .OrderByDescending(f => f.Priority).ThenBy(f => f.Id).ToListAsync(ct);
        var flow = flows.FirstOrDefault(f => f.Steps.Count > 0 && f.Conditions.All(c => c.Holds(request.Facts)));
        if (flow is null)
        {
            (request.FlowId, request.FlowName, request.Steps, request.CurrentStep) = (null, null, [], -1);
            History(request, ApprovalActionKind.NoFlow, null, actorId: request.SubmitterId);
            await FinishAsync(request, ApprovalState.Approved, null, ct, request.SubmitterId ?? "");
            return;
        }
        (request.FlowId, request.FlowName, request.Steps) = (flow.Id, flow.Name, [.. flow.Steps]);
        await StartStepAsync(request, 0, ct);
    }

    /// <summary>Starts step <paramref name="index"/>: its approvers get their tasks (one at a time in a sequential step); past the last step the request is approved.</summary>
    public async Task StartStepAsync(ApprovalRequest request, int index, CancellationToken ct)
    {
        while (true)
        {
            if (index >= request.Steps.Count)
            {
                History(request, ApprovalActionKind.Completed, null);
                await FinishAsync(request, ApprovalState.Approved, null, ct);
                return;
            }
            var step = request.Steps[index];
            var approvers = await Approvers.ResolveAsync(db, request, step, ct);
            if (approvers.Count == 0)
            {
                // Nobody to ask (no manager, an empty role): the administrators decide rather than the step passing unchecked.
                approvers = await Approvers.InRoleAsync(db, Roles.Admin, ct);
                History(request, ApprovalActionKind.NoApprover, null, index, approvers, actorId: null);
            }
            if (approvers.Count == 0)
            {
                index++;
                continue;
            }
            request.CurrentStep = index;
            for (var i = 0; i < approvers.Count; i++)
            {
                var active = step.Mode != ApprovalMode.Sequential || i == 0;
                db.ApprovalTasks.Add(new ApprovalTask
                {
                    RequestId = request.Id,
                    Round = request.Round,
                    Step = index,
                    Position = i,
                    ApproverId = approvers[i],
                    State = active ? ApprovalTaskState.Pending : ApprovalTaskState.Waiting,
                    CreatedAt = Now,
                    ActivatedAt = active ? Now : null,
                });
                if (active) assigned.Add(approvers[i]);
            }
            History(request, ApprovalActionKind.StepStarted, null, index, approvers, actorId: null);
            return;
        }
    }

    /// <summary>The tasks of the request's current step and round, as stored and as added in this action.</summary>
    public async Task<List<ApprovalTask>> StepTasksAsync(ApprovalRequest request, CancellationToken ct)
    {
        var stored = await db.ApprovalTasks.Where(t => t.RequestId == request.Id && t.Round == request.Round && t.Step == request.CurrentStep).ToListAsync(ct);
        var added = db.ApprovalTasks.Local.Where(t => t.Id == 0 && t.RequestId == request.Id && t.Round == request.Round && t.Step == request.CurrentStep);
        return [.. stored.Union(added).OrderBy(t => t.Position).ThenBy(t => t.Id == 0 ? long.MaxValue : t.Id)];
    }

    /// <summary>An approver approved: the next one of a sequential step, or the next step once nobody of this one is left to decide.</summary>
    public async Task ApproveAsync(ApprovalRequest request, ApprovalTask task, string? comment, CancellationToken ct)
    {
        task.State = ApprovalTaskState.Approved;
        task.DecidedAt = Now;
        task.Comment = comment;
        History(request, ApprovalActionKind.Approved, comment, request.CurrentStep);
        var step = request.Steps[request.CurrentStep];
        var tasks = await StepTasksAsync(request, ct);
        if (step.Mode == ApprovalMode.Any && task.AddedById is null)
            foreach (var other in tasks.Where(t => t.AddedById is null && t.State is ApprovalTaskState.Pending or ApprovalTaskState.Waiting))
            {
                other.State = ApprovalTaskState.Skipped;
                other.DecidedAt = Now;
            }
        if (tasks.Any(t => t.State == ApprovalTaskState.Pending)) return;
        if (tasks.FirstOrDefault(t => t.State == ApprovalTaskState.Waiting) is { } next)
        {
            next.State = ApprovalTaskState.Pending;
            next.ActivatedAt = Now;
            assigned.Add(next.ApproverId);
            return;
        }
        await StartStepAsync(request, request.CurrentStep + 1, ct);
    }

    /// <summary>Ends the request: every task still open is cancelled; the document hears of it after the save.</summary>
    public async Task FinishAsync(ApprovalRequest request, ApprovalState state, string? reason, CancellationToken ct, string? decidedById = null)
    {
        request.State = state;
        request.DecidedAt = Now;
        request.DecidedById = decidedById ?? ActorId ?? "";
        request.Reason = reason;
        var open = await db.ApprovalTasks.Where(t => t.RequestId == request.Id && (t.State == ApprovalTaskState.Pending || t.State == ApprovalTaskState.Waiting))
            .ToListAsync(ct);
        // The rows read are the tracked ones: a task this action already decided is open in the database only.
        foreach (var t in open.Union(db.ApprovalTasks.Local.Where(t => t.Id == 0 && t.RequestId == request.Id))
                     .Where(t => t.State is ApprovalTaskState.Pending or ApprovalTaskState.Waiting).ToList())
        {
            t.State = ApprovalTaskState.Cancelled;
            t.DecidedAt = Now;
        }
        assigned.Clear();
        decided = new ApprovalOutcome(request.Id, request.DocumentId, state, reason, request.DecidedById);
    }

    /// <summary>After the engine's rows are saved, in the same transaction: the document's part of a decision, then who is told.</summary>
    public async Task AfterSaveAsync(ApprovalRequest request, CancellationToken ct)
    {
        if (decided is { } outcome) await Document.OnDecidedAsync(db, outcome, ct);
        if (assigned.Count > 0 && !await Document.NotifyAssignedAsync(db, request, assigned.Distinct().ToList(), ct))
            await ApprovalNotices.AssignedAsync(db, request, assigned.Distinct().ToList(), ct);
        if (decided is { } o && !await Document.NotifyDecidedAsync(db, request, o, ct))
            await ApprovalNotices.DecidedAsync(db, request, o, ct);
        if (copied.Count > 0) await ApprovalNotices.CopiedAsync(db, request, copied.Distinct().ToList(), ActorId, ct);
    }
}
