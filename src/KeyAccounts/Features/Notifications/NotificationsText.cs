namespace KeyAccounts.Features.Notifications;

/// <summary>Marker for the notification strings (Resources/Features/Notifications/NotificationsText.*.resx).</summary>
public sealed class NotificationsText;
