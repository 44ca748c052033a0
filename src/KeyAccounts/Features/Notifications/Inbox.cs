using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Notifications;

public sealed record NotificationDto(long Id, NotificationEvent Event, string Title, string? Body, string? Link, long? AccountId, DateTime CreatedAt, DateTime? ReadAt);

/// <summary>The signed-in user's own notifications: nobody reads another's inbox.</summary>
public static class Inbox
{
    public static async Task<Ok<Paged<NotificationDto>>> ListAsync(bool? unread, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var q = db.Notifications.Where(n => n.RecipientId == user.Id);
        if (unread == true) q = q.Where(n => n.ReadAt == null);
        var result = await q.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Select(n => new NotificationDto(n.Id, n.Event, n.Title, n.Body, n.Link, n.AccountId, n.CreatedAt, n.ReadAt))
            .ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(result);
    }

    public sealed record UnreadCount(int Count);

    /// <summary>One count over the (recipient, read, created) index: cheap enough for the app bar on every navigation.</summary>
    public static Task<int> CountUnreadAsync(AppDb db, string userId, CancellationToken ct) =>
        db.Notifications.CountAsync(n => n.RecipientId == userId && n.ReadAt == null, ct);

    public static async Task<Ok<UnreadCount>> UnreadAsync(AppDb db, CurrentUser user, CancellationToken ct) =>
        TypedResults.Ok(new UnreadCount(await CountUnreadAsync(db, user.Id, ct)));

    public static async Task<Results<NoContent, NotFound>> MarkReadAsync(long id, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var mine = await db.Notifications.Where(n => n.Id == id && n.RecipientId == user.Id).Select(n => new { n.ReadAt }).FirstOrDefaultAsync(ct);
        if (mine is null) return TypedResults.NotFound();
        if (mine.ReadAt is null)
            await db.Notifications.Where(n => n.Id == id).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> MarkAllReadAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        await db.Notifications.Where(n => n.RecipientId == user.Id && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return TypedResults.NoContent();
    }
}
