using System.Globalization;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Complaints;

/// <summary>A quality complaint records the quality incident it revealed, with its loss: the evaluation's quality-loss criterion counts it.</summary>
public static class RecordQualityIncident
{
    public sealed record Request(decimal? LossAmount, DateOnly? OccurredOn, string? Description);

    public sealed record Response(long Id, string IncidentNo, long ComplaintId, decimal LossAmount, DateOnly OccurredOn);

    public static async Task<Results<Created<Response>, NotFound, ForbidHttpResult, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        long id, Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var visible = db.VisibleAccountIds(user);
        var complaint = await db.Complaints.FirstOrDefaultAsync(c => c.Id == id && visible.Contains(c.AccountId), ct);
        if (complaint is null) return TypedResults.NotFound();
        if (!await GetComplaint.CanEditAsync(db, user, complaint.AccountId, complaint.AssigneeId, ct)) return TypedResults.Forbid();
        if (complaint.Category != ComplaintCategory.Quality)
            return Problems.Conflict("Only a quality complaint records a quality incident.", $"Complaint #{id} is about {complaint.Category}.");
        if (await db.QualityIncidents.AnyAsync(q => q.ComplaintId == id, ct))
            return Problems.Conflict("This complaint already has its quality incident.", $"Change the incident in the quality records instead.");
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var v = new Validation().MaxLength("description", request.Description, 1000);
        if (request.LossAmount is not { } loss || loss < 0 || loss > 1_000_000_000) v.Add("lossAmount", $"lossAmount is required, between 0 and 1,000,000,000.");
        if (request.OccurredOn > today) v.Add("occurredOn", $"occurredOn cannot be in the future.");
        if (!v.IsValid) return v.Problem();

        var incident = new QualityIncident
        {
            IncidentNo = "QC-" + id.ToString(CultureInfo.InvariantCulture),
            AccountId = complaint.AccountId,
            OccurredOn = request.OccurredOn ?? DateOnly.FromDateTime(complaint.CreatedAt),
            LossAmount = Math.Round(request.LossAmount!.Value, 2, MidpointRounding.AwayFromZero),
            Description = request.Description.Trimmed() ?? complaint.Description[..Math.Min(1000, complaint.Description.Length)],
            ComplaintId = id,
            UpdatedAt = now,
        };
        db.QualityIncidents.Add(incident);
        db.ComplaintEvents.Add(new ComplaintEvent
        {
            ComplaintId = id,
            At = now,
            Kind = ComplaintEventKind.QualityIncidentRecorded,
            UserId = user.Id,
            Note = incident.LossAmount.ToString("N2", CultureInfo.InvariantCulture),
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/complaints/{id}", new Response(incident.Id, incident.IncidentNo, id, incident.LossAmount, incident.OccurredOn));
    }
}
