using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyAccounts.Features.Visits;

/// <summary>Plans a visit: which account, at which level, when and why, which of our people go and whom they meet.</summary>
public static class PlanVisit
{
    public sealed record Request(
        long? AccountId, VisitLevel? Level, DateOnly? PlannedOn, string? Purpose, IReadOnlyList<long>? ContactIds,
        IReadOnlyList<string>? UserIds = null, string? OwnerId = null);

    public static async Task<Results<Created<VisitDto>, NotFound, ForbidHttpResult, ValidationProblem>> HandleAsync(
        Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (request.AccountId is not { } accountId) return Validation.Single("accountId", $"accountId is required.");
        switch (await VisitRules.RightOnAsync(db, user, accountId, ct))
        {
            case AccountRight.None: return TypedResults.NotFound();
            case AccountRight.Read: return TypedResults.Forbid();
        }

        var v = new Validation().Require("purpose", request.Purpose, 500);
        if (request.Level is null) v.Add("level", $"level is required: Leadership, Technical or Business.");
        if (request.PlannedOn is null) v.Add("plannedOn", $"plannedOn is required.");
        var ownerId = request.OwnerId.Trimmed() ?? user.Id;
        var people = (request.UserIds ?? []).Append(ownerId).Distinct().ToList();
        await VisitRules.CheckUsersAsync(v, db, people, "userIds", ct);
        await VisitRules.CheckContactsAsync(v, db, accountId, request.ContactIds, "contactIds", ct);
        if (!v.IsValid) return v.Problem();

        var visit = new Visit
        {
            AccountId = accountId,
            Level = request.Level!.Value,
            PlannedOn = request.PlannedOn!.Value,
            Purpose = request.Purpose!.Trim(),
            OwnerId = ownerId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Version = 1,
            Attendees = [.. people.Select(id => new VisitAttendee { UserId = id })],
            Contacts = [.. (request.ContactIds ?? []).Distinct().Select(id => new VisitContact { ContactId = id })],
        };
        visit.PlaceAttendeesOnCalendar();
        db.Visits.Add(visit);
        await db.SaveChangesAsync(ct);
        await AssignmentNotices.VisitAsync(db, visit.Id, people, user.Id, ct);
        var dto = (await VisitProjections.FindAsync(db, visit.Id, db.Visits, ct))!;
        return TypedResults.Created($"/api/v1/visits/{visit.Id}", dto);
    }
}
