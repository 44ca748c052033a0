using System.Security.Claims;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Calendar;

/// <summary>iCalendar (RFC 5545) for Outlook, DingTalk and phone calendars: visits and tasks as all-day events.</summary>
public static class CalendarExport
{
    public const string ContentType = "text/calendar; charset=utf-8";

    public static string ToIcs(IEnumerable<CalendarEntry> entries, DateTime stamp, string name)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//KeyAccounts//Visits//ZH" };
        calendar.AddProperty("X-WR-CALNAME", name);
        foreach (var e in entries)
        {
            var day = new CalDateTime(e.Date);
            var level = e.Level is { } l ? $" [{Label(l)}]" : "";
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{e.Kind.ToString().ToLowerInvariant()}-{e.Id}@keyaccounts",
                DtStamp = new CalDateTime(stamp, "UTC", true),
                DtStart = day,
                DtEnd = day.AddDays(1),
                Summary = e.Kind == CalendarEntryKind.Visit ? $"拜访{level} {e.AccountName}：{e.Title}" : $"任务 {e.AccountName}：{e.Title}",
                Description = $"{e.Kind} {e.Id} · {e.Status}" + (e.Overdue ? " · overdue" : ""),
                Categories = [e.Kind == CalendarEntryKind.Visit ? "Visit" : "Task"],
                Transparency = "TRANSPARENT",
            });
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static string Label(Analytics.VisitLevel level) => level switch
    {
        Analytics.VisitLevel.Leadership => "领导层",
        Analytics.VisitLevel.Technical => "技术层",
        _ => "业务层",
    };

    /// <summary>GET /api/v1/visits/{id}/calendar.ics: one plan, to put in one's own calendar.</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> VisitAsync(long id, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var visit = await VisitProjections.FindAsync(db, id, db.VisitsVisibleTo(user), ct);
        if (visit is null) return TypedResults.NotFound();
        var today = VisitRules.Today(clock);
        var entry = new CalendarEntry(visit.VisitedOn ?? visit.PlannedOn, CalendarEntryKind.Visit, visit.Id, visit.Purpose, visit.AccountId, visit.AccountName,
            visit.Level, visit.Status.ToString(), visit.Status == VisitStatus.Planned && visit.PlannedOn < today);
        var ics = ToIcs([entry], clock.GetUtcNow().UtcDateTime, visit.AccountName);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ics), ContentType, $"visit-{id}.ics");
    }

    /// <summary>GET /ical/{token}.ics, without signing in: the feed's owner's visits and tasks from 90 days back to a year ahead.</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> FeedAsync(string token, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var hash = CalendarFeed.Hash(token);
        var owner = await db.CalendarFeeds.Where(f => f.TokenHash == hash)
            .Join(db.Users.Where(u => u.IsActive), f => f.UserId, u => u.Id, (f, u) => new { u.Id, u.UserName, u.DisplayName })
            .FirstOrDefaultAsync(ct);
        if (owner is null) return TypedResults.NotFound();
        var roles = await db.UserRoles.Where(r => r.UserId == owner.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync(ct);
        // The feed reads as its owner, with the owner's roles now: access rules apply exactly as in the app.
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, owner.Id), new Claim(ClaimTypes.Name, owner.UserName ?? "")], "CalendarFeed");
        identity.AddClaims(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var user = CurrentUser.For(new ClaimsPrincipal(identity));
        var today = VisitRules.Today(clock);
        var entries = new List<CalendarEntry>();
        // The calendar query covers at most GetCalendar.MaxDays at a time.
        for (var start = today.AddDays(-90); start <= today.AddDays(365); start = start.AddDays(GetCalendar.MaxDays))
        {
            var end = start.AddDays(GetCalendar.MaxDays - 1);
            entries.AddRange(await GetCalendar.EntriesAsync(db, user, start, end < today.AddDays(365) ? end : today.AddDays(365), today, ct));
        }
        var ics = ToIcs(entries, clock.GetUtcNow().UtcDateTime, $"KeyAccounts · {owner.DisplayName}");
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ics), ContentType, "keyaccounts.ics");
    }
}

public sealed record CalendarFeedStatus(bool Active, DateTime? CreatedAt, string? Url);

/// <summary>The caller's own feed: its state, a new token (the old URL stops working), or none.</summary>
public static class CalendarFeeds
{
    public static async Task<Ok<CalendarFeedStatus>> GetAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        var feed = await db.CalendarFeeds.AsNoTracking().FirstOrDefaultAsync(f => f.UserId == user.Id, ct);
        return TypedResults.Ok(new CalendarFeedStatus(feed is not null, feed?.CreatedAt, null));
    }

    /// <summary>The URL is shown this once: only its hash is kept.</summary>
    public static async Task<Ok<CalendarFeedStatus>> RegenerateAsync(AppDb db, CurrentUser user, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var token = CalendarFeed.NewToken();
        var feed = await db.CalendarFeeds.FirstOrDefaultAsync(f => f.UserId == user.Id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (feed is null) db.CalendarFeeds.Add(feed = new CalendarFeed { UserId = user.Id, TokenHash = CalendarFeed.Hash(token), CreatedAt = now });
        else
        {
            feed.TokenHash = CalendarFeed.Hash(token);
            feed.CreatedAt = now;
        }
        await db.SaveChangesAsync(ct);
        var path = PathFor(token);
        var url = http is null ? path : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{path}";
        return TypedResults.Ok(new CalendarFeedStatus(true, now, url));
    }

    public static async Task<NoContent> RevokeAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        var feed = await db.CalendarFeeds.FirstOrDefaultAsync(f => f.UserId == user.Id, ct);
        if (feed is not null)
        {
            db.CalendarFeeds.Remove(feed);
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    public static string PathFor(string token) => $"/ical/{token}.ics";
}
