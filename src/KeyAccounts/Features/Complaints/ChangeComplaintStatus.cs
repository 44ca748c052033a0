using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Complaints;

/// <summary>Moves a complaint along new → acknowledged → investigating → resolved → confirmed, or back to reopened.</summary>
public static class ChangeComplaintStatus
{
    public sealed record Request(ComplaintStatus? Status, string? RootCause, string? Resolution, string? Note, int? Version);

    public static async Task<Results<Ok<ComplaintDto>, NotFound, ForbidHttpResult, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        long id, Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var visible = db.VisibleAccountIds(user);
        var complaint = await db.Complaints.FirstOrDefaultAsync(c => c.Id == id && visible.Contains(c.AccountId), ct);
        if (complaint is null) return TypedResults.NotFound();
        if (!await GetComplaint.CanEditAsync(db, user, complaint.AccountId, complaint.AssigneeId, ct)) return TypedResults.Forbid();
        if (request.Status is not { } to) return Validation.Single("status", $"status is required.");
        if (!ComplaintRules.CanMove(complaint.Status, to))
        {
            var allowed = ComplaintRules.AllowedAfter(complaint.Status);
            return Problems.Conflict("This status change is not allowed.",
                allowed.Count == 0
                    ? (FormattableString)$"A complaint that is {complaint.Status} cannot become {to}; it is closed."
                    : $"A complaint that is {complaint.Status} cannot become {to}; it can become {string.Join(" or ", allowed)}.");
        }
        if (to == ComplaintStatus.Resolved)
        {
            var v = new Validation().Require("rootCause", request.RootCause ?? complaint.RootCause, 2000).Require("resolution", request.Resolution ?? complaint.Resolution, 2000);
            if (!v.IsValid) return v.Problem();
        }
        if (request.Version is { } version) db.Entry(complaint).Property(c => c.Version).OriginalValue = version;

        var now = clock.GetUtcNow().UtcDateTime;
        complaint.Status = to;
        complaint.UpdatedAt = now;
        if (to == ComplaintStatus.Resolved)
        {
            complaint.RootCause = (request.RootCause ?? complaint.RootCause)!.Trim();
            complaint.Resolution = (request.Resolution ?? complaint.Resolution)!.Trim();
            complaint.ResolvedAt = now;
        }
        if (to == ComplaintStatus.Reopened)
        {
            // A reopened complaint gets a fresh deadline, and its passing escalates again.
            var tier = await db.Accounts.Where(a => a.Id == complaint.AccountId).Select(a => a.Tier).FirstAsync(ct);
            complaint.DueAt = ComplaintRules.DueAt(now, await ComplaintDeadlines.HoursAsync(db, complaint.Severity, tier, ct));
            complaint.EscalatedAt = null;
            complaint.ResolvedAt = null;
        }
        db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = id, At = now, Kind = ComplaintEventKind.StatusChanged, Status = to, UserId = user.Id, Note = request.Note.Trimmed() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("The complaint was changed by someone else.", $"Reload it and try again.");
        }
        return TypedResults.Ok(await db.Complaints.Where(c => c.Id == id).Select(ComplaintDto.Projection(db, now)).FirstAsync(ct));
    }
}
