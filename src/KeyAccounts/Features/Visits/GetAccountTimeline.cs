using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Visits;

public enum TimelineKind { Visit, FollowUp }

public sealed record TimelineItem(
    DateOnly Date, TimelineKind Kind, long Id, VisitLevel? Level, FollowUpMethod? Method, string Status, string Text, string? Findings, string PersonName);

/// <summary>An account's visit timeline: its visits (planned, done, cancelled) and its other follow-ups, newest first.</summary>
public static class GetAccountTimeline
{
    public static async Task<Results<Ok<Paged<TimelineItem>>, NotFound>> HandleAsync(
        long id, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.VisibleAccountIds(user).AnyAsync(a => a == id, ct)) return TypedResults.NotFound();
        var (p, size) = Paging.Normalize(page, pageSize);
        var upTo = p * size;
        var visits = db.Visits.Where(v => v.AccountId == id);
        var followUps = db.FollowUps.Where(f => f.AccountId == id && f.VisitId == null);
        var total = await visits.CountAsync(ct) + await followUps.CountAsync(ct);
        // Each source gives at most the rows up to this page; merged by day they give the page.
        var v = await visits.OrderByDescending(x => x.VisitedOn ?? x.PlannedOn).ThenByDescending(x => x.Id).Take(upTo)
            .Select(x => new TimelineItem(x.VisitedOn ?? x.PlannedOn, TimelineKind.Visit, x.Id, x.Level, null, x.Status.ToString(), x.Purpose, x.Findings,
                db.Users.Where(u => u.Id == x.OwnerId).Select(u => u.DisplayName).FirstOrDefault() ?? ""))
            .ToListAsync(ct);
        var f = await followUps.OrderByDescending(x => x.OccurredOn).ThenByDescending(x => x.Id).Take(upTo)
            .Select(x => new TimelineItem(x.OccurredOn, TimelineKind.FollowUp, x.Id, null, x.Method, "Done", x.Summary, null,
                db.Users.Where(u => u.Id == x.UserId).Select(u => u.DisplayName).FirstOrDefault() ?? ""))
            .ToListAsync(ct);
        var items = v.Concat(f).OrderByDescending(x => x.Date).ThenBy(x => x.Kind).ThenByDescending(x => x.Id).Skip((p - 1) * size).Take(size).ToList();
        return TypedResults.Ok(new Paged<TimelineItem>(items, total, p, size));
    }
}
