using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Notifications;

/// <summary>The one way features raise a notification. Delivery (e-mail, group robots, retries) follows from the inbox row.</summary>
public static class Notify
{
    /// <summary>
    /// A notification to raise. <see cref="Title"/> is an English template of NotificationsText ("Complaint #{0} assigned to you ({1}, due {2})"),
    /// worded in the recipient's language with <see cref="TitleArgs"/>; <see cref="Body"/> is such a template when
    /// <see cref="BodyArgs"/> is set, else shown as it is (a complaint's description). Arguments that are a
    /// <see cref="Texts.Term"/> are translated too; dates and numbers are formatted in the recipient's culture.
    /// </summary>
    public sealed record Message(string RecipientId, NotificationEvent Event, string DedupKey, string Title,
        string? Body = null, string? Link = null, long? AccountId = null, object?[]? TitleArgs = null, object?[]? BodyArgs = null);

    /// <summary>
    /// A moment as an argument of a message template: worded on the recipient's clock (the zone of the browser they last
    /// signed in with, see <see cref="UserTimeZone.ForText"/>), else in UTC said so.
    /// </summary>
    public sealed record Moment(DateTime Utc);

    /// <summary>Rows per INSERT: 8 parameters each, well under SQLite's limit of 32,766 per statement.</summary>
    private const int Batch = 500;

    /// <summary>
    /// Adds the notifications not raised before (by recipient, event and dedup key) and queues their delivery on the channels
    /// switched on for their event; returns how many were new.
    /// </summary>
    public static async Task<int> SendAsync(AppDb db, IReadOnlyCollection<Message> messages, CancellationToken ct)
    {
        if (messages.Count == 0) return 0;
        var at = db.Clock.GetUtcNow().UtcDateTime;
        var distinct = await InRecipientsLanguageAsync(db, messages.DistinctBy(m => (m.RecipientId, m.Event, m.DedupKey)).ToList(), ct);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var added = 0;
        foreach (var chunk in distinct.Chunk(Batch))
            added += await InsertAsync(db, chunk, at, ct);
        if (added > 0) await QueueDeliveriesAsync(db, [.. distinct.Select(m => m.Event).Distinct()], at, ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return added;
    }

    /// <summary>
    /// The texts as each recipient reads them: in the language they chose (their "locale" claim), else the company's. They are
    /// stored so, and the e-mail and group robots send the same words.
    /// </summary>
    private static async Task<List<Message>> InRecipientsLanguageAsync(AppDb db, List<Message> messages, CancellationToken ct)
    {
        var recipients = messages.Select(m => m.RecipientId).Distinct().ToList();
        var chosen = await LanguagesAsync(db, recipients, ct);
        var zones = messages.Any(m => (m.TitleArgs ?? []).Concat(m.BodyArgs ?? []).Any(a => a is Moment))
            ? await ZonesAsync(db, recipients, ct)
            : [];
        var text = Texts.For<NotificationsText>();
        return [.. messages.Select(m => Texts.In(chosen[m.RecipientId], () => m with
        {
            Title = Word(text, m.Title, OnClock(m.TitleArgs ?? [], zones.GetValueOrDefault(m.RecipientId))),
            Body = m.Body is null || m.BodyArgs is null ? m.Body : Word(text, m.Body, OnClock(m.BodyArgs, zones.GetValueOrDefault(m.RecipientId))),
        }))];
    }

    private static object?[] OnClock(object?[] args, TimeZoneInfo? zone) =>
        [.. args.Select(a => a is Moment m ? UserTimeZone.ForText(m.Utc, zone) : a)];

    /// <summary>The zone each of these users last signed in from (their "zoneinfo" claim), where known.</summary>
    public static async Task<Dictionary<string, TimeZoneInfo>> ZonesAsync(AppDb db, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var zones = new Dictionary<string, TimeZoneInfo>();
        foreach (var chunk in userIds.Distinct().Chunk(Batch))
            foreach (var c in await db.UserClaims.AsNoTracking().Where(c => chunk.Contains(c.UserId) && c.ClaimType == UserTimeZone.Claim)
                         .Select(c => new { c.UserId, c.ClaimValue }).ToListAsync(ct))
                if (UserTimeZone.Find(c.ClaimValue) is { } zone) zones[c.UserId] = zone;
        return zones;
    }

    /// <summary>The language each of these users reads: the one they chose (their "locale" claim), else the company's.</summary>
    public static async Task<Dictionary<string, CultureInfo>> LanguagesAsync(AppDb db, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var chosen = userIds.Distinct().ToDictionary(id => id, _ => Texts.DefaultCulture);
        foreach (var chunk in chosen.Keys.ToList().Chunk(Batch))
            foreach (var c in await db.UserClaims.AsNoTracking().Where(c => chunk.Contains(c.UserId) && c.ClaimType == Texts.LocaleClaim)
                         .Select(c => new { c.UserId, c.ClaimValue }).ToListAsync(ct))
                chosen[c.UserId] = Texts.Culture(c.ClaimValue);
        return chosen;
    }

    private static string Word(Microsoft.Extensions.Localization.IStringLocalizer text, string template, object?[] args)
    {
        var format = text[template].Value;
        return args.Length == 0 ? format : string.Format(CultureInfo.CurrentCulture, format, args);
    }

    /// <summary>INSERT … ON CONFLICT DO NOTHING is the same statement on both engines: safe when two nodes race.</summary>
    private static Task<int> InsertAsync(AppDb db, Message[] chunk, DateTime at, CancellationToken ct)
    {
        var sql = new StringBuilder("""INSERT INTO "Notifications" ("RecipientId", "Event", "DedupKey", "Title", "Body", "Link", "AccountId", "CreatedAt") VALUES """);
        var args = new List<object?>(chunk.Length * 8);
        for (var i = 0; i < chunk.Length; i++)
        {
            var m = chunk[i];
            var p = args.Count;
            if (i > 0) sql.Append(", ");
            sql.Append($"({{{p}}}, {{{p + 1}}}, {{{p + 2}}}, {{{p + 3}}}, {{{p + 4}}}, {{{p + 5}}}, {{{p + 6}}}, {{{p + 7}}})");
            args.AddRange([m.RecipientId, m.Event.ToString(), Cut(m.DedupKey, 200), Cut(m.Title, 300), Cut(m.Body, 2000), Cut(m.Link, 400), m.AccountId, at]);
        }
        sql.Append(""" ON CONFLICT ("RecipientId", "Event", "DedupKey") DO NOTHING""");
        return db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(sql.ToString(), [.. args]), ct);
    }

    /// <summary>
    /// One outbox row per new notification and enabled channel, set-based. The rows of this call are the ones created at
    /// <paramref name="at"/>; the unique (notification, channel) index keeps a racing node from queuing them twice.
    /// </summary>
    private static async Task QueueDeliveriesAsync(AppDb db, List<NotificationEvent> events, DateTime at, CancellationToken ct)
    {
        if (!await db.NotificationChannelSettings.AnyAsync(s => s.Enabled && events.Contains(s.Event), ct)) return;
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "NotificationDeliveries" ("NotificationId", "Channel", "Status", "Attempts", "NextAttemptAt")
            SELECT n."Id", s."Channel", 'Pending', 0, {at}
            FROM "Notifications" n JOIN "NotificationChannelSettings" s ON s."Event" = n."Event" AND s."Enabled" = {true}
            WHERE n."CreatedAt" = {at}
            ON CONFLICT ("NotificationId", "Channel") DO NOTHING
            """, ct);
    }

    private static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
