using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Tasks;

public enum TaskState { Open, Done, Cancelled }

/// <summary>跟进任务: something we agreed to do for an account, with an owner and a due day; from a visit's agreed actions or by hand.</summary>
public sealed class FollowUpTask : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long? VisitId { get; set; }
    public required string Title { get; set; }
    public string? Notes { get; set; }
    public required string OwnerId { get; set; }
    public DateOnly DueOn { get; set; }
    public TaskState Status { get; set; } = TaskState.Open;
    public DateTime CreatedAt { get; set; }
    public string? CreatedById { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int Version { get; set; }

    public string AuditKey => Id.ToString();
}

public sealed class FollowUpTaskConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> b)
    {
        b.ToTable("FollowUpTasks");
        b.Property(t => t.Title).HasMaxLength(200);
        b.Property(t => t.Notes).HasMaxLength(2000);
        b.Property(t => t.OwnerId).HasMaxLength(450);
        b.Property(t => t.CreatedById).HasMaxLength(450);
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        b.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Visit>().WithMany().HasForeignKey(t => t.VisitId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<AppUser>().WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Restrict);
        // A user's calendar month and task list: one index range by owner and day.
        b.HasIndex(t => new { t.OwnerId, t.DueOn });
        b.HasIndex(t => new { t.AccountId, t.DueOn });
        // The overdue reminder walks the open tasks due before today.
        b.HasIndex(t => new { t.Status, t.DueOn });
        b.HasIndex(t => t.VisitId);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.Ignore(t => t.AuditKey);
    }
}
