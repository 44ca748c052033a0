using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Notifications;

/// <summary>What a notification is about; users choose per event type where it reaches them.</summary>
public enum NotificationEvent
{
    VisitDue,
    TaskOverdue,
    FollowUpOverdue,
    ComplaintEscalated,
    ComplaintAssigned,
    CareReminder,
    SurveyAnswered,
    EvaluationPublished,
    EvaluationAwaitingApproval,
    EvaluationDecided,
    VisitAssigned,
    TaskAssigned,
    InstalmentDue,
    InstalmentOverdue,
    ApprovalAssigned,
    ApprovalDecided,
    ApprovalCopied,
}

/// <summary>
/// A message in a user's in-app inbox. <see cref="DedupKey"/> names the occurrence (e.g. "task:42:overdue"): it is unique
/// per recipient and event, so a reminder job that runs twice, restarts, or runs on several nodes at once notifies once.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }
    public required string RecipientId { get; set; }
    public NotificationEvent Event { get; set; }
    public required string DedupKey { get; set; }
    public required string Title { get; set; }
    public string? Body { get; set; }

    /// <summary>App-relative link to what the notification is about, e.g. "/accounts/12".</summary>
    public string? Link { get; set; }
    public long? AccountId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(n => n.RecipientId).HasMaxLength(450);
        b.Property(n => n.Event).HasConversion<string>().HasMaxLength(32);
        b.Property(n => n.DedupKey).HasMaxLength(200);
        b.Property(n => n.Title).HasMaxLength(300);
        b.Property(n => n.Body).HasMaxLength(2000);
        b.Property(n => n.Link).HasMaxLength(400);
        b.HasIndex(n => new { n.RecipientId, n.Event, n.DedupKey }).IsUnique();
        b.HasIndex(n => new { n.RecipientId, n.ReadAt, n.CreatedAt });
        b.HasIndex(n => n.CreatedAt);
        b.HasOne<AppUser>().WithMany().HasForeignKey(n => n.RecipientId).OnDelete(DeleteBehavior.Cascade);
    }
}
