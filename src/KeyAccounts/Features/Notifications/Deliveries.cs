using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Notifications;

/// <summary>The outbox as the administrator sees it: what failed, why, and a retry.</summary>
public static class Deliveries
{
    public sealed record DeliveryDto(long Id, long NotificationId, NotificationEvent Event, string Title, string RecipientName,
        NotificationChannel Channel, DeliveryStatus Status, int Attempts, DateTime NextAttemptAt, DateTime? SentAt, string? LastError);

    public static async Task<Ok<Paged<DeliveryDto>>> ListAsync(DeliveryStatus? status, int? page, int? pageSize, AppDb db, CancellationToken ct)
    {
        var q = db.NotificationDeliveries.AsQueryable();
        if (status is { } s) q = q.Where(d => d.Status == s);
        var result = await q.OrderByDescending(d => d.NextAttemptAt).ThenByDescending(d => d.Id)
            .Select(d => new DeliveryDto(d.Id, d.NotificationId, d.Notification!.Event, d.Notification.Title,
                db.Users.Where(u => u.Id == d.Notification.RecipientId).Select(u => u.DisplayName).FirstOrDefault() ?? "",
                d.Channel, d.Status, d.Attempts, d.NextAttemptAt, d.SentAt, d.LastError))
            .ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(result);
    }

    /// <summary>Sends a failed (or waiting) delivery again at the next run, with a fresh count of attempts.</summary>
    public static async Task<Results<NoContent, NotFound>> RetryAsync(long id, AppDb db, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var n = await db.NotificationDeliveries.Where(d => d.Id == id && d.Status != DeliveryStatus.Sent)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.Attempts, 0)
                .SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.LockedUntil, (DateTime?)null), ct);
        return n == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }
}
