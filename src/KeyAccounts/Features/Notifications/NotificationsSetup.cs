namespace KeyAccounts.Features.Notifications;

public static class NotificationsSetup
{
    public static IServiceCollection AddKeyAccountsNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        var smtp = configuration.GetSection("Smtp").Get<SmtpSettings>() ?? new SmtpSettings();
        services.AddSingleton(smtp);
        services.AddSingleton<ChannelSecrets>();
        // The robots' addresses carry their tokens (in the path or the query): the client's request logging would write them out.
        services.AddHttpClient<NotificationSender>(c => c.Timeout = TimeSpan.FromSeconds(15)).RemoveAllLoggers();
        return services;
    }
}
