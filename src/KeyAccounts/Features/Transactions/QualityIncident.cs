using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Transactions;

/// <summary>
/// A quality incident (质量事故) at an account with the loss it cost: the evaluation's cost criterion. Imported from the
/// quality system, or recorded from a quality complaint (then <see cref="ComplaintId"/> links back to it).
/// </summary>
public sealed class QualityIncident : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public required string IncidentNo { get; set; }
    public long AccountId { get; set; }
    public DateOnly OccurredOn { get; set; }
    public decimal LossAmount { get; set; }
    public string? Description { get; set; }
    public long? ComplaintId { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string AuditKey => IncidentNo;
}

public sealed class QualityIncidentConfiguration : IEntityTypeConfiguration<QualityIncident>
{
    public void Configure(EntityTypeBuilder<QualityIncident> b)
    {
        b.Property(q => q.IncidentNo).HasMaxLength(40);
        b.HasIndex(q => q.IncidentNo).IsUnique();
        b.HasIndex(q => new { q.AccountId, q.OccurredOn });
        b.HasIndex(q => q.ComplaintId);
        b.Property(q => q.LossAmount).HasPrecision(18, 2);
        b.Property(q => q.Description).HasMaxLength(1000);
        b.HasOne<Account>().WithMany().HasForeignKey(q => q.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(q => q.AuditKey);
    }
}
