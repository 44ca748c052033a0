using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Visits;

/// <summary>Visits the user may see (<see cref="AccountAccess.VisitsVisibleTo"/>): upcoming (planned from today), overdue (planned before today, not recorded), an account's, a person's.</summary>
public static class ListVisits
{
    public enum When { Any, Upcoming, Overdue }

    public sealed record Query(
        long? AccountId = null, string? OwnerId = null, bool? Mine = null, VisitStatus? Status = null, VisitLevel? Level = null,
        When? When = null, DateOnly? From = null, DateOnly? To = null, int? Page = null, int? PageSize = null);

    public static async Task<Ok<Paged<VisitListItem>>> HandleAsync([AsParameters] Query q, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var today = VisitRules.Today(clock);
        var visits = db.VisitsVisibleTo(user);
        if (q.AccountId is { } accountId) visits = visits.Where(v => v.AccountId == accountId);
        // The owner is an attendee too: the attendee rows alone say whose visit it is.
        if (q.Mine == true) visits = visits.Where(v => db.VisitAttendees.Any(a => a.VisitId == v.Id && a.UserId == user.Id));
        else if (q.OwnerId.Trimmed() is { } owner) visits = visits.Where(v => v.OwnerId == owner);
        if (q.Level is { } level) visits = visits.Where(v => v.Level == level);
        switch (q.When ?? When.Any)
        {
            case When.Upcoming: visits = visits.Where(v => v.Status == VisitStatus.Planned && v.PlannedOn >= today); break;
            case When.Overdue: visits = visits.Where(v => v.Status == VisitStatus.Planned && v.PlannedOn < today); break;
            default:
                if (q.Status is { } status) visits = visits.Where(v => v.Status == status);
                break;
        }
        if (q.From is { } from) visits = visits.Where(v => (v.VisitedOn ?? v.PlannedOn) >= from);
        if (q.To is { } to) visits = visits.Where(v => (v.VisitedOn ?? v.PlannedOn) <= to);
        // Upcoming reads soonest first; everything else newest first.
        var ordered = q.When == When.Upcoming
            ? visits.OrderBy(v => v.PlannedOn).ThenBy(v => v.Id)
            : visits.OrderByDescending(v => v.VisitedOn ?? v.PlannedOn).ThenByDescending(v => v.Id);
        var page = await ordered
            .Join(db.Accounts, v => v.AccountId, a => a.Id, (v, a) => new VisitListItem(v.Id, v.AccountId, a.Code, a.Name, a.Tier, v.Level, v.Status,
                v.PlannedOn, v.VisitedOn, v.Purpose, v.OwnerId, db.Users.Where(u => u.Id == v.OwnerId).Select(u => u.DisplayName).FirstOrDefault() ?? "",
                v.Status == VisitStatus.Planned && v.PlannedOn < today))
            .ToPagedAsync(q.Page, q.PageSize, ct);
        return TypedResults.Ok(page);
    }
}

public static class GetVisit
{
    public static async Task<Results<Ok<VisitDto>, NotFound>> HandleAsync(long id, AppDb db, CurrentUser user, HttpContext? http, CancellationToken ct)
    {
        var dto = await VisitProjections.FindAsync(db, id, db.VisitsVisibleTo(user), ct);
        if (dto is null) return TypedResults.NotFound();
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }
}

/// <summary>Calls off a planned visit; it stays in the timeline as cancelled.</summary>
public static class CancelVisit
{
    public static async Task<Results<Ok<VisitDto>, NotFound, ForbidHttpResult, Microsoft.AspNetCore.Http.HttpResults.Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>>> HandleAsync(
        long id, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var visit = await db.VisitsVisibleTo(user).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (visit is null) return TypedResults.NotFound();
        if (await VisitRules.RightOnAsync(db, user, visit.AccountId, ct) != AccountRight.Edit) return TypedResults.Forbid();
        if (visit.Status != VisitStatus.Planned)
            return Problems.Conflict("The visit is not open", $"Visit {id} is {visit.Status.ToString().ToLowerInvariant()}; only a planned visit can be cancelled.");
        visit.Status = VisitStatus.Cancelled;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await VisitProjections.FindAsync(db, id, db.Visits, ct))!);
    }
}
