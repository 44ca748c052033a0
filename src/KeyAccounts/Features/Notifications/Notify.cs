using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Notifications;

/// <summary>The one way features raise a notification. Delivery (e-mail, group robots, retries) follows from the inbox row.</summary>
public static class Notify
{
    public sealed record Message(string RecipientId, NotificationEvent Event, string DedupKey, string Title,
        string? Body = null, string? Link = null, long? AccountId = null);

    /// <summary>Adds the notifications not raised before (by recipient, event and dedup key); returns how many were new.</summary>
    public static async Task<int> SendAsync(AppDb db, IReadOnlyCollection<Message> messages, CancellationToken ct)
    {
        if (messages.Count == 0) return 0;
        var at = db.Clock.GetUtcNow().UtcDateTime;
        var added = 0;
        foreach (var m in messages.DistinctBy(m => (m.RecipientId, m.Event, m.DedupKey)))
        {
            // INSERT … ON CONFLICT DO NOTHING is the same statement on both engines: safe when two nodes race.
            added += await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO "Notifications" ("RecipientId", "Event", "DedupKey", "Title", "Body", "Link", "AccountId", "CreatedAt")
                VALUES ({m.RecipientId}, {m.Event.ToString()}, {m.DedupKey}, {m.Title}, {m.Body}, {m.Link}, {m.AccountId}, {at})
                ON CONFLICT ("RecipientId", "Event", "DedupKey") DO NOTHING
                """, ct);
        }
        return added;
    }
}
