using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.FollowUps;

public enum FollowUpMethod { Call, WeChat, Meeting, Email, Visit }

/// <summary>跟进记录: any contact with an account — a call, a WeChat, a meeting, an e-mail or a visit — and when to get in touch next.</summary>
public sealed class FollowUp : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long? VisitId { get; set; }
    public FollowUpMethod Method { get; set; }
    public DateOnly OccurredOn { get; set; }
    public required string Summary { get; set; }
    public DateOnly? NextContactOn { get; set; }
    public required string UserId { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<FollowUpContact> Contacts { get; set; } = [];

    public string AuditKey => Id.ToString();
}

public sealed class FollowUpContact : IAudited
{
    public long FollowUpId { get; set; }
    public long ContactId { get; set; }
    public string AuditKey => $"{FollowUpId}:{ContactId}";
}

public sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> b)
    {
        b.Property(f => f.Method).HasConversion<string>().HasMaxLength(16);
        b.Property(f => f.Summary).HasMaxLength(2000);
        b.Property(f => f.UserId).HasMaxLength(450);
        b.HasOne<Account>().WithMany().HasForeignKey(f => f.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Visit>().WithMany().HasForeignKey(f => f.VisitId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<AppUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Restrict);
        // The last follow-up of an account (escalation, contact-today) is the top of this range.
        b.HasIndex(f => new { f.AccountId, f.OccurredOn, f.Id });
        b.HasIndex(f => f.NextContactOn);
        b.HasIndex(f => f.VisitId);
        b.Ignore(f => f.AuditKey);
    }
}

public sealed class FollowUpContactConfiguration : IEntityTypeConfiguration<FollowUpContact>
{
    public void Configure(EntityTypeBuilder<FollowUpContact> b)
    {
        b.HasKey(c => new { c.FollowUpId, c.ContactId });
        b.HasIndex(c => c.ContactId);
        b.HasOne<FollowUp>().WithMany(f => f.Contacts).HasForeignKey(c => c.FollowUpId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(c => c.AuditKey);
    }
}
