namespace KeyAccounts.Features.Notifications;

public static class NotificationsSetup
{
    public static IServiceCollection AddKeyAccountsNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        var smtp = configuration.GetSection("Smtp").Get<SmtpSettings>() ?? new SmtpSettings();
        services.AddSingleton(smtp);
        services.AddSingleton<ChannelSecrets>();
        services.AddHttpClient<NotificationSender>(c => c.Timeout = TimeSpan.FromSeconds(15));
        return services;
    }
}
