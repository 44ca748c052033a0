using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KeyAccounts.Features.Notifications;

/// <summary>Works through the outbox: sends what is due, backs off after a failure, gives up after <see cref="MaxAttempts"/>.</summary>
public static class DeliverNotifications
{
    public const int MaxAttempts = 5;
    private const int BatchSize = 100;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public sealed record Outcome(int Sent, int Failed);

    /// <summary>Minutes to wait after the n-th failed attempt: 1, 2, 4, 8 …</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Pow(2, Math.Max(0, attempts - 1)));

    public static async Task<Outcome> RunAsync(AppDb db, NotificationSender sender, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var due = await db.NotificationDeliveries
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LockedUntil == null || d.LockedUntil < now))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(BatchSize).ToListAsync(ct);
        var settings = await db.NotificationChannelSettings.AsNoTracking().ToListAsync(ct);
        int sent = 0, failed = 0;
        foreach (var id in due)
        {
            // Claim first: another node that read the same row finds it taken and skips it.
            var until = now + Lease;
            var claimed = await db.NotificationDeliveries
                .Where(d => d.Id == id && d.Status == DeliveryStatus.Pending && (d.LockedUntil == null || d.LockedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, until), ct);
            if (claimed == 0) continue;
            var row = await db.NotificationDeliveries.AsNoTracking().Where(d => d.Id == id)
                .Select(d => new
                {
                    d.Channel,
                    d.Attempts,
                    d.Notification!.Event,
                    d.Notification.Title,
                    d.Notification.Body,
                    d.Notification.Link,
                    Name = db.Users.Where(u => u.Id == d.Notification.RecipientId).Select(u => u.DisplayName).FirstOrDefault(),
                    Email = db.Users.Where(u => u.Id == d.Notification.RecipientId).Select(u => u.Email).FirstOrDefault(),
                })
                .FirstAsync(ct);
            var setting = settings.FirstOrDefault(s => s.Event == row.Event && s.Channel == row.Channel);
            try
            {
                await sender.SendAsync(row.Channel, setting, new OutgoingMessage(row.Title, row.Body, row.Link, row.Name ?? "", row.Email), ct);
                await db.NotificationDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Sent)
                    .SetProperty(d => d.Attempts, row.Attempts + 1)
                    .SetProperty(d => d.SentAt, now)
                    .SetProperty(d => d.LockedUntil, (DateTime?)null)
                    .SetProperty(d => d.LastError, (string?)null), ct);
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var attempts = row.Attempts + 1;
                var error = e.Message.Length <= 2000 ? e.Message : e.Message[..2000];
                await db.NotificationDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, attempts >= MaxAttempts ? DeliveryStatus.Failed : DeliveryStatus.Pending)
                    .SetProperty(d => d.Attempts, attempts)
                    .SetProperty(d => d.NextAttemptAt, now + Backoff(attempts))
                    .SetProperty(d => d.LockedUntil, (DateTime?)null)
                    .SetProperty(d => d.LastError, error), ct);
                failed++;
            }
        }
        return new Outcome(sent, failed);
    }
}

public static class NotificationJobs
{
    /// <summary>Pending deliveries are sent every 30 seconds.</summary>
    public static void AddNotificationJobs(this IQuartzBuilder q, IConfiguration configuration) =>
        q.ScheduleJob<DeliverNotificationsJob>(t => t.WithIdentity("deliver-notifications").WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(30)).RepeatForever()).StartNow());
}

[DisallowConcurrentExecution]
public sealed class DeliverNotificationsJob(AppDb db, NotificationSender sender) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await DeliverNotifications.RunAsync(db, sender, cancellationToken);
}
