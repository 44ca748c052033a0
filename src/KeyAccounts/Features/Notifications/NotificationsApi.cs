using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Notifications;

public static class NotificationsApi
{
    public static void MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var inbox = app.MapGroup("/api/v1/notifications").WithTags("Notifications").RequireAuthorization();
        inbox.MapGet("/", Inbox.ListAsync);
        inbox.MapGet("/unread-count", Inbox.UnreadAsync);
        inbox.MapPost("/{id:long}/read", Inbox.MarkReadAsync);
        inbox.MapPost("/read-all", Inbox.MarkAllReadAsync);
        inbox.MapGet("/settings", ChannelSettings.ListAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        inbox.MapPut("/settings", ChannelSettings.SaveAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        inbox.MapGet("/deliveries", Deliveries.ListAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
        inbox.MapPost("/deliveries/{id:long}/retry", Deliveries.RetryAsync).RequireAuthorization(Infrastructure.Auth.Policies.Admin);
    }
}
