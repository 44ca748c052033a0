using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Transactions;

/// <summary>An invoice issued to an account: a receivable due on <see cref="DueOn"/>.</summary>
public sealed class Invoice : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public required string InvoiceNo { get; set; }
    public long AccountId { get; set; }
    public DateOnly IssuedOn { get; set; }
    public DateOnly DueOn { get; set; }
    public decimal Amount { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string AuditKey => InvoiceNo;
}

/// <summary>Money received from an account, optionally against one invoice.</summary>
public sealed class Payment : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public required string PaymentNo { get; set; }
    public long AccountId { get; set; }
    public DateOnly PaidOn { get; set; }
    public decimal Amount { get; set; }
    public string? InvoiceNo { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string AuditKey => PaymentNo;
}

public sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> b)
    {
        b.Property(i => i.InvoiceNo).HasMaxLength(40);
        b.HasIndex(i => i.InvoiceNo).IsUnique();
        b.HasIndex(i => new { i.AccountId, i.DueOn });
        b.HasIndex(i => i.DueOn);
        b.Property(i => i.Amount).HasPrecision(18, 2);
        b.HasOne<Account>().WithMany().HasForeignKey(i => i.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(i => i.AuditKey);
    }
}

public sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.Property(p => p.PaymentNo).HasMaxLength(40);
        b.HasIndex(p => p.PaymentNo).IsUnique();
        b.Property(p => p.InvoiceNo).HasMaxLength(40);
        b.HasIndex(p => p.InvoiceNo);
        b.HasIndex(p => new { p.AccountId, p.PaidOn });
        b.Property(p => p.Amount).HasPrecision(18, 2);
        b.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(p => p.AuditKey);
    }
}
