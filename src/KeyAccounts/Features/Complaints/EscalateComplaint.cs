using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Complaints;

/// <summary>Escalates a complaint to the manager by hand, before its deadline passes (the job does it when it passes).</summary>
public static class EscalateComplaint
{
    /// <summary>The optional body: why it goes up now, kept on the timeline and sent to the manager.</summary>
    public sealed record Request(string? Note);

    public const int NoteLength = 1000;

    public static async Task<Results<Ok<ComplaintDto>, NotFound, ForbidHttpResult, Conflict<ProblemDetails>, ValidationProblem>> HandleAsync(
        long id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        // An empty body binds null: the escalation without a note.
        var note = request?.Note.Trimmed();
        if (note is { Length: > NoteLength }) return Validation.Single("note", $"note may be at most {NoteLength} characters.");
        var visible = db.VisibleAccountIds(user);
        var complaint = await db.Complaints.AsNoTracking().Where(c => c.Id == id && visible.Contains(c.AccountId))
            .Select(c => new { c.AccountId, c.AssigneeId, c.Status, c.EscalatedAt }).FirstOrDefaultAsync(ct);
        if (complaint is null) return TypedResults.NotFound();
        if (!await GetComplaint.CanEditAsync(db, user, complaint.AccountId, complaint.AssigneeId, ct)) return TypedResults.Forbid();
        if (!Complaint.IsOpen(complaint.Status)) return Problems.Conflict("Only an open complaint is escalated.", $"This complaint is {complaint.Status}.");
        if (complaint.EscalatedAt is not null || !await EscalateComplaints.EscalateAsync(db, id, user.Id, ct, note))
            return Problems.Conflict("The complaint is escalated already.", $"It was escalated for its current deadline.");
        var now = clock.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(await db.Complaints.Where(c => c.Id == id).Select(ComplaintDto.Projection(db, now)).FirstAsync(ct));
    }
}
