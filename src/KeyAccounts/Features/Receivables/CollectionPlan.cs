using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Receivables;

/// <summary>How a payment came in.</summary>
public enum PaymentMethod { WireTransfer, BankAcceptance, Cheque, Cash, WeChatPay, Alipay }

/// <summary>专票 (special VAT invoice, deductible by the buyer) or 普票 (ordinary invoice).</summary>
public enum InvoiceKind { Special, Ordinary }

/// <summary>Where an instalment stands: from the money allocated to it, its due date, or voided by hand.</summary>
public enum InstalmentState { Pending, Partial, Completed, Overdue, Void }

/// <summary>
/// A collection plan (回款计划): the amount of one order or one invoice split into numbered instalments (期数). Exactly one of
/// <see cref="OrderNo"/> and <see cref="InvoiceNo"/> is set; the instalments add up to <see cref="Amount"/>.
/// </summary>
public sealed class CollectionPlan : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public string? OrderNo { get; set; }
    public string? InvoiceNo { get; set; }
    public decimal Amount { get; set; }
    public string? Note { get; set; }
    public string? CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<Instalment> Instalments { get; set; } = [];

    public string AuditKey => OrderNo is not null ? $"order:{OrderNo}" : $"invoice:{InvoiceNo}";
}

/// <summary>
/// One instalment (第 N 期) of a plan. Its paid amount and state are not stored: they follow the payments allocated to the plan's
/// invoices (<see cref="InstalmentStates"/>). The reminder columns claim each reminder once, whichever node sends it.
/// </summary>
public sealed class Instalment : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long PlanId { get; set; }
    public long AccountId { get; set; }
    public int No { get; set; }
    public DateOnly DueOn { get; set; }
    public decimal Amount { get; set; }
    public DateTime? VoidedAt { get; set; }
    public string? VoidReason { get; set; }
    public DateTime? DueReminderAt { get; set; }
    public DateTime? OverdueReminderAt { get; set; }

    public string AuditKey => $"{PlanId}:{No}";
}

public sealed class CollectionPlanConfiguration : IEntityTypeConfiguration<CollectionPlan>
{
    public void Configure(EntityTypeBuilder<CollectionPlan> b)
    {
        b.Property(p => p.OrderNo).HasMaxLength(40);
        b.Property(p => p.InvoiceNo).HasMaxLength(40);
        b.Property(p => p.Note).HasMaxLength(500);
        b.Property(p => p.CreatedById).HasMaxLength(450);
        b.Property(p => p.Amount).HasPrecision(18, 2);
        b.HasIndex(p => p.AccountId);
        b.HasIndex(p => p.OrderNo).IsUnique();
        b.HasIndex(p => p.InvoiceNo).IsUnique();
        b.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(p => p.Instalments).WithOne().HasForeignKey(i => i.PlanId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(p => p.AuditKey);
    }
}

public sealed class InstalmentConfiguration : IEntityTypeConfiguration<Instalment>
{
    public void Configure(EntityTypeBuilder<Instalment> b)
    {
        b.Property(i => i.Amount).HasPrecision(18, 2);
        b.Property(i => i.VoidReason).HasMaxLength(500);
        b.HasIndex(i => new { i.PlanId, i.No }).IsUnique();
        b.HasIndex(i => i.DueOn);
        b.HasIndex(i => new { i.AccountId, i.DueOn });
        b.Ignore(i => i.AuditKey);
    }
}
