using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Calendar;

public enum CalendarEntryKind { Visit, Task }

public sealed record CalendarEntry(
    DateOnly Date, CalendarEntryKind Kind, long Id, string Title, long AccountId, string AccountName, VisitLevel? Level, string Status, bool Overdue);

public sealed record CalendarResponse(DateOnly From, DateOnly To, IReadOnlyList<CalendarEntry> Items);

/// <summary>
/// My calendar: the visits I lead or join (on their <see cref="Visit.CalendarDay"/>) and the tasks I own, by due day. Each
/// part is one index range by person and day: attendees (UserId, Day) — the owner is an attendee too — and tasks (OwnerId, DueOn).
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
        if (end < start) return Validation.Single("to", $"to is before from.");
        if (end.DayNumber - start.DayNumber >= MaxDays) return Validation.Single("to", $"A calendar covers at most {MaxDays} days.");
        return TypedResults.Ok(new CalendarResponse(start, end, await EntriesAsync(db, user, start, end, today, ct)));
    }

    public static async Task<IReadOnlyList<CalendarEntry>> EntriesAsync(AppDb db, CurrentUser user, DateOnly start, DateOnly end, DateOnly today, CancellationToken ct)
    {
        var me = user.Id;
        var visits = await db.VisitAttendees.Where(a => a.UserId == me && a.Day >= start && a.Day <= end)
            .Join(db.Visits, a => a.VisitId, v => v.Id, (a, v) => new { a.Day, v.Id, v.PlannedOn, v.Purpose, v.AccountId, v.Level, v.Status })
            .Where(v => v.Status != VisitStatus.Cancelled)
            .Take(MaxItems)
            .ToListAsync(ct);
        var tasks = await db.FollowUpTasks
            .Where(t => t.OwnerId == me && t.DueOn >= start && t.DueOn <= end && t.Status != TaskState.Cancelled)
            .Select(t => new { t.Id, t.DueOn, t.Title, t.AccountId, t.Status })
            .Take(MaxItems)
            .ToListAsync(ct);
        // Everything here is the user's own work (visits attended, tasks owned), which reaches them whoever's account it is on
        // (AccountAccess.VisitsVisibleTo, TasksVisibleTo). Names are read for the few accounts the month touches rather than
        // joined into the range scans, so each scan stays one index range.
        var touched = visits.Select(v => v.AccountId).Concat(tasks.Select(t => t.AccountId)).Distinct().ToList();
        var names = touched.Count == 0
            ? []
            : await db.Accounts.Where(a => touched.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return
        [
            .. visits.Select(v => new CalendarEntry(v.Day, CalendarEntryKind.Visit, v.Id, v.Purpose, v.AccountId, names[v.AccountId], v.Level,
                v.Status.ToString(), v.Status == VisitStatus.Planned && v.PlannedOn < today)),
            .. tasks.Select(t => new CalendarEntry(t.DueOn, CalendarEntryKind.Task, t.Id, t.Title, t.AccountId, names[t.AccountId], null, t.Status.ToString(),
                t.Status == TaskState.Open && t.DueOn < today)),
        ];
    }
}
