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

    /// <summary>The order this invoice bills, when the ERP says so: an order's amount not yet invoiced is credit exposure.</summary>
    public string? OrderNo { get; set; }

    /// <summary>专票 or 普票; null for invoices fed without a type.</summary>
    public Receivables.InvoiceKind? Kind { get; set; }

    /// <summary>VAT rate as a fraction (0.13 for 13 %).</summary>
    public decimal? TaxRate { get; set; }

    /// <summary>The buyer's invoice title (开票抬头) as it stood when the invoice was created: later edits of the account's title do not rewrite issued invoices.</summary>
    public string? BuyerName { get; set; }
    public string? BuyerTaxNo { get; set; }
    public string? BuyerAddress { get; set; }
    public string? BuyerPhone { get; set; }
    public string? BuyerBank { get; set; }
    public string? BuyerBankAccount { get; set; }
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

    /// <summary>How the money came (电汇, 承兑汇票, …); null for payments fed without one.</summary>
    public Receivables.PaymentMethod? Method { get; set; }
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
        b.Property(i => i.OrderNo).HasMaxLength(40);
        b.HasIndex(i => i.OrderNo);
        b.Property(i => i.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(i => i.TaxRate).HasPrecision(5, 4);
        b.Property(i => i.BuyerName).HasMaxLength(200);
        b.Property(i => i.BuyerTaxNo).HasMaxLength(18);
        b.Property(i => i.BuyerAddress).HasMaxLength(300);
        b.Property(i => i.BuyerPhone).HasMaxLength(40);
        b.Property(i => i.BuyerBank).HasMaxLength(200);
        b.Property(i => i.BuyerBankAccount).HasMaxLength(60);
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
        b.Property(p => p.Method).HasConversion<string>().HasMaxLength(20);
        b.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(p => p.AuditKey);
    }
}
