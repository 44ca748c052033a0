using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Visits;

public enum CalendarEntryKind { Visit, Task }

public sealed record CalendarEntry(
    DateOnly Date, CalendarEntryKind Kind, long Id, string Title, long AccountId, string AccountName, VisitLevel? Level, string Status, bool Overdue);

public sealed record CalendarResponse(DateOnly From, DateOnly To, IReadOnlyList<CalendarEntry> Items);

/// <summary>
/// My calendar: the visits I lead or join (on the planned day until recorded, then on the visit day) and the tasks I own, by
/// due day. Each part is one index range by person and day: (OwnerId, PlannedOn), (OwnerId, VisitedOn), (OwnerId, DueOn).
/// </summary>
public static class GetCalendar
{
    public const int MaxDays = 100;
    public const int MaxItems = 5_000;

    public static async Task<Results<Ok<CalendarResponse>, ValidationProblem>> HandleAsync(
        DateOnly? from, DateOnly? to, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var today = VisitRules.Today(clock);
        var start = from ?? new DateOnly(today.Year, today.Month, 1);
        var end = to ?? start.AddMonths(1).AddDays(-1);
        if (end < start) return Validation.Single("to", "to is before from.");
        if (end.DayNumber - start.DayNumber >= MaxDays) return Validation.Single("to", $"A calendar covers at most {MaxDays} days.");
        return TypedResults.Ok(new CalendarResponse(start, end, await EntriesAsync(db, user, start, end, today, ct)));
    }

    public static async Task<IReadOnlyList<CalendarEntry>> EntriesAsync(AppDb db, CurrentUser user, DateOnly start, DateOnly end, DateOnly today, CancellationToken ct)
    {
        var me = user.Id;
        var mine = db.Visits.Where(v => v.Status != VisitStatus.Cancelled);
        var planned = mine.Where(v => v.VisitedOn == null && v.PlannedOn >= start && v.PlannedOn <= end);
        var done = mine.Where(v => v.VisitedOn >= start && v.VisitedOn <= end);
        // Visits joined as a colleague are reached from the attendee rows (index on UserId), never by scanning a day range of everyone's visits.
        var joined = db.VisitAttendees.Where(a => a.UserId == me).Join(db.Visits, a => a.VisitId, v => v.Id, (_, v) => v)
            .Where(v => v.OwnerId != me && v.Status != VisitStatus.Cancelled
                        && ((v.VisitedOn == null && v.PlannedOn >= start && v.PlannedOn <= end) || (v.VisitedOn >= start && v.VisitedOn <= end)));
        var visits = await planned.Where(v => v.OwnerId == me)
            .Concat(done.Where(v => v.OwnerId == me))
            .Concat(joined)
            .Join(db.Accounts, v => v.AccountId, a => a.Id, (v, a) => new { v.Id, v.PlannedOn, v.VisitedOn, v.Purpose, v.AccountId, a.Name, v.Level, v.Status })
            .Take(MaxItems)
            .ToListAsync(ct);
        var tasks = await db.FollowUpTasks
            .Where(t => t.OwnerId == me && t.DueOn >= start && t.DueOn <= end && t.Status != TaskState.Cancelled)
            .Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new { t.Id, t.DueOn, t.Title, t.AccountId, a.Name, t.Status })
            .Take(MaxItems)
            .ToListAsync(ct);
        // Access is checked on the few accounts the month touches rather than joined into the range scans: the same rules,
        // and the planner keeps walking the (OwnerId, day) indexes.
        var touched = visits.Select(v => v.AccountId).Concat(tasks.Select(t => t.AccountId)).Distinct().ToList();
        var visible = touched.Count == 0 ? [] : (await db.VisibleAccountIds(user).Where(id => touched.Contains(id)).ToListAsync(ct)).ToHashSet();
        visits.RemoveAll(v => !visible.Contains(v.AccountId));
        tasks.RemoveAll(t => !visible.Contains(t.AccountId));
        return
        [
            .. visits.Select(v => new CalendarEntry(v.VisitedOn ?? v.PlannedOn, CalendarEntryKind.Visit, v.Id, v.Purpose, v.AccountId, v.Name, v.Level,
                v.Status.ToString(), v.Status == VisitStatus.Planned && v.PlannedOn < today)),
            .. tasks.Select(t => new CalendarEntry(t.DueOn, CalendarEntryKind.Task, t.Id, t.Title, t.AccountId, t.Name, null, t.Status.ToString(),
                t.Status == TaskState.Open && t.DueOn < today)),
        ];
    }
}
