using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Care;

/// <summary>API.md: <c>GET /api/v1/care/calendar?from=&amp;to=</c> — festivals, birthdays of the caller's accounts' people, anniversaries.</summary>
public static class GetCareCalendar
{
    public sealed record Item(DateOnly Date, CareOccasion Kind, string Title, long? AccountId, long? ContactId);

    public sealed record Response(IReadOnlyList<Item> Items);

    public const int MaxDays = 366;

    /// <summary>Birthdays and anniversaries returned at most: a year of a whole company's people would not help anyone.</summary>
    public const int MaxPeople = 5000;

    public static async Task<Results<Ok<Response>, ValidationProblem>> HandleAsync(DateOnly? from, DateOnly? to, AppDb db, CurrentUser user,
        TimeProvider clock, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var start = from ?? today;
        var end = to ?? start.AddDays(30);
        if (end < start) return Validation.Single("to", $"to must not be before from.");
        if (end.DayNumber - start.DayNumber >= MaxDays) return Validation.Single("to", $"The range may span at most {MaxDays} days.");
        return TypedResults.Ok(new Response(await ItemsAsync(start, end, db, user, ct)));
    }

    public static async Task<List<Item>> ItemsAsync(DateOnly from, DateOnly to, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var items = CareCalendar.FestivalsBetween(from, to).Select(f => new Item(f.Date, CareOccasion.Festival, f.Key, null, null)).ToList();
        var days = CareCalendar.MonthDaysBetween(from, to);
        var codes = days.Keys.ToList();
        var visible = db.Accounts.VisibleTo(db, user);
        var birthdays = await db.Contacts
            .Where(c => c.BirthdayMonthDay != null && codes.Contains(c.BirthdayMonthDay.Value) && c.IsActive && visible.Any(a => a.Id == c.AccountId))
            .OrderBy(c => c.BirthdayMonthDay).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.AccountId, c.Name, MonthDay = c.BirthdayMonthDay!.Value })
            .Take(MaxPeople).ToListAsync(ct);
        var anniversaries = await visible
            .Where(a => a.CooperationMonthDay != null && codes.Contains(a.CooperationMonthDay.Value))
            .OrderBy(a => a.CooperationMonthDay).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.Name, MonthDay = a.CooperationMonthDay!.Value, Since = a.CooperationSince })
            .Take(MaxPeople).ToListAsync(ct);
        foreach (var b in birthdays)
            foreach (var date in Dates(b.MonthDay, from, to))
                items.Add(new Item(date, CareOccasion.Birthday, b.Name, b.AccountId, b.Id));
        foreach (var a in anniversaries)
            foreach (var date in Dates(a.MonthDay, from, to))
                if (a.Since is null || date > a.Since)
                    items.Add(new Item(date, CareOccasion.Anniversary, a.Name, a.Id, null));
        return [.. items.OrderBy(i => i.Date).ThenBy(i => i.Kind).ThenBy(i => i.Title, StringComparer.Ordinal)];
    }

    /// <summary>Every date in the range on which a yearly MMDD falls (a range may cross a new year).</summary>
    private static IEnumerable<DateOnly> Dates(int monthDay, DateOnly from, DateOnly to)
    {
        for (var y = from.Year; y <= to.Year; y++)
        {
            var d = CareCalendar.Occurrence(monthDay, y);
            if (d >= from && d <= to) yield return d;
        }
    }
}
