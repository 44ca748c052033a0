using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Care;

/// <summary>A care action taken (关怀): a gift, a call, a card, for an occasion, to an account or one of its key people, and what it cost.</summary>
public sealed class CareAction : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long? ContactId { get; set; }
    public CareOccasion Occasion { get; set; }

    /// <summary>The festival key when the occasion is a festival.</summary>
    public string? Festival { get; set; }
    public required string What { get; set; }
    public DateOnly TakenOn { get; set; }
    public decimal Cost { get; set; }

    /// <summary>Who took it: spending is reported by this person.</summary>
    public required string ByUserId { get; set; }
    public DateTime CreatedAt { get; set; }

    public string AuditKey => Id.ToString();
}

public sealed class CareActionConfiguration : IEntityTypeConfiguration<CareAction>
{
    public void Configure(EntityTypeBuilder<CareAction> b)
    {
        b.Property(c => c.Occasion).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Festival).HasMaxLength(32);
        b.Property(c => c.What).HasMaxLength(300);
        b.Property(c => c.Cost).HasPrecision(18, 2);
        b.HasIndex(c => new { c.AccountId, c.TakenOn });
        b.HasIndex(c => new { c.TakenOn, c.ByUserId });
        b.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<AppUser>().WithMany().HasForeignKey(c => c.ByUserId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(c => c.AuditKey);
    }
}

/// <summary>How much may be spent on care for the accounts of a tier in a year.</summary>
public sealed class CareBudget : IAudited
{
    public int Year { get; set; }
    public Tier Tier { get; set; }
    public decimal Amount { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string AuditKey => $"{Year}:{Tier}";
}

public sealed class CareBudgetConfiguration : IEntityTypeConfiguration<CareBudget>
{
    public void Configure(EntityTypeBuilder<CareBudget> b)
    {
        b.HasKey(c => new { c.Year, c.Tier });
        b.Property(c => c.Tier).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Amount).HasPrecision(18, 2);
        b.Ignore(c => c.AuditKey);
    }
}
