using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Notifications;

/// <summary>Where notifications go besides the in-app inbox.</summary>
public enum NotificationChannel { Email, WeCom, DingTalk, Feishu }

/// <summary>
/// Whether an event type goes out on a channel: e-mail to the recipient's address, or a group robot webhook (企业微信 / 钉钉 /
/// 飞书). <see cref="Secret"/> is the DingTalk or Feishu robot's signing secret (加签 / 签名校验), when it uses one. Both the address
/// (it holds the robot's key) and the secret are stored encrypted by <see cref="ChannelSecrets"/>, never in plain text.
/// </summary>
public sealed class NotificationChannelSetting : Data.IAudited
{
    public NotificationEvent Event { get; set; }
    public NotificationChannel Channel { get; set; }
    public bool Enabled { get; set; }
    public string? WebhookUrl { get; set; }
    public string? Secret { get; set; }

    public string AuditKey => $"{Event}:{Channel}";
}

public sealed class NotificationChannelSettingConfiguration : IEntityTypeConfiguration<NotificationChannelSetting>
{
    public void Configure(EntityTypeBuilder<NotificationChannelSetting> b)
    {
        b.HasKey(s => new { s.Event, s.Channel });
        b.Property(s => s.Event).HasConversion<string>().HasMaxLength(32);
        b.Property(s => s.Channel).HasConversion<string>().HasMaxLength(16);
        // Encrypted: a 500-character address or a 200-character secret grows to a few times its length.
        b.Property(s => s.WebhookUrl).HasMaxLength(3000);
        b.Property(s => s.Secret).HasMaxLength(1200);
        b.Ignore(s => s.AuditKey);
    }
}

public enum DeliveryStatus { Pending, Sent, Failed }

/// <summary>
/// The outbox: one row per notification and channel, written with the notification, sent by the delivery job. A row is
/// claimed for a while (<see cref="LockedUntil"/>) before sending so that two nodes never send it twice; failures wait longer
/// each time and give up after a few attempts as <see cref="DeliveryStatus.Failed"/>, shown on the admin page with a retry.
/// </summary>
public sealed class NotificationDelivery
{
    public long Id { get; set; }
    public long NotificationId { get; set; }
    public Notification? Notification { get; set; }
    public NotificationChannel Channel { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}

public sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> b)
    {
        b.Property(d => d.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.LastError).HasMaxLength(2000);
        b.HasIndex(d => new { d.NotificationId, d.Channel }).IsUnique();
        b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        b.HasOne(d => d.Notification).WithMany().HasForeignKey(d => d.NotificationId).OnDelete(DeleteBehavior.Cascade);
    }
}
