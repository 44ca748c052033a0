using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Contacts;

/// <summary>The part a person plays in the account's buying decision.</summary>
public enum BuyingRole { DecisionMaker, Influencer, User, Gatekeeper, Champion, Other }

/// <summary>How the person stands towards us.</summary>
public enum Attitude { Supporter, Neutral, Opponent, Unknown }

/// <summary>关键人: a key person or decision maker at an account.</summary>
public sealed class Contact : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public required string Name { get; set; }
    public string? Title { get; set; }
    public string? Department { get; set; }
    public BuyingRole Role { get; set; } = BuyingRole.Other;
    public Attitude Attitude { get; set; } = Attitude.Unknown;

    /// <summary>Influence on the decision, 1 (little) to 5 (decisive).</summary>
    public int Influence { get; set; } = 3;
    public long? ReportsToId { get; set; }
    public DateOnly? Birthday
    {
        get;
        set
        {
            field = value;
            BirthdayMonthDay = value is { } d ? d.Month * 100 + d.Day : null;
        }
    }

    /// <summary>The birthday as MMDD, kept with <see cref="Birthday"/>: the care reminders find a day's birthdays by this index.</summary>
    public int? BirthdayMonthDay { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? WeChat { get; set; }
    public string? Preferences { get; set; }

    /// <summary>False once the person has left the account; kept so the history stays whole.</summary>
    public bool IsActive { get; set; } = true;
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public string AuditKey => Id.ToString();
}

public sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.Property(c => c.Name).HasMaxLength(60);
        b.Property(c => c.Title).HasMaxLength(60);
        b.Property(c => c.Department).HasMaxLength(60);
        b.Property(c => c.Role).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Attitude).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Phone).HasMaxLength(40);
        b.Property(c => c.Email).HasMaxLength(120);
        b.Property(c => c.WeChat).HasMaxLength(60);
        b.Property(c => c.Preferences).HasMaxLength(1000);
        b.HasIndex(c => new { c.AccountId, c.Name });
        b.HasIndex(c => c.BirthdayMonthDay);
        b.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Contact>().WithMany().HasForeignKey(c => c.ReportsToId).OnDelete(DeleteBehavior.Restrict);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Ignore(c => c.AuditKey);
    }
}
