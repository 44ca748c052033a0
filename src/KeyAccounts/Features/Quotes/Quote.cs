using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Transactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Quotes;

/// <summary>
/// Where a quote is: edited (Draft, or Returned by an approver), waiting for the approval of a discount beyond policy,
/// Approved (may become an order), Rejected, Ordered (its sales order exists), Expired (past its valid-until day) or Cancelled.
/// </summary>
public enum QuoteState { Draft, PendingApproval, Approved, Rejected, Returned, Ordered, Expired, Cancelled }

/// <summary>A quote (报价单) to an account: priced lines from the price lists, with the account's policy discount and any extra discount asked for.</summary>
public sealed class Quote : IAudited, IBelongsToAccount
{
    public long Id { get; set; }

    /// <summary>BJ + the day + a serial of that day: BJ20261207-0003.</summary>
    public required string Number { get; set; }
    public long AccountId { get; set; }
    public DateOnly QuoteDate { get; set; }
    public DateOnly ValidUntil { get; set; }
    public string Currency { get; set; } = "CNY";
    public QuoteState State { get; set; }
    public string? Note { get; set; }

    /// <summary>The sum of the lines' amounts.</summary>
    public decimal Total { get; set; }

    /// <summary>The lines' amounts at list price, for the quote's overall discount.</summary>
    public decimal ListTotal { get; set; }
    public DateTime? SubmittedAt { get; set; }
    public string? SubmittedById { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedById { get; set; }

    /// <summary>Why an approver rejected or returned it.</summary>
    public string? DecisionNote { get; set; }
    public long? OrderId { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedById { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public List<QuoteLine> Lines { get; set; } = [];

    public string AuditKey => Number;

    public bool IsEditable => State is QuoteState.Draft or QuoteState.Returned or QuoteState.Rejected;
}

/// <summary>
/// A quote line with the explanation of its price: the list price and the list it came from, the policy discount and the
/// rules that gave it, the extra discount asked for, and who approved it (null: within policy, approved at submission).
/// </summary>
public sealed class QuoteLine : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long QuoteId { get; set; }
    public int LineNo { get; set; }
    public long AccountId { get; set; }
    public long ProductId { get; set; }
    public decimal Quantity { get; set; }
    public decimal ListPrice { get; set; }
    public long? PriceListId { get; set; }
    public required string PriceListName { get; set; }
    public decimal PolicyDiscountPercent { get; set; }

    /// <summary>The policies that gave the account's discount on the quote's day, as the terms named them.</summary>
    public string? PolicyRule { get; set; }
    public decimal RequestedDiscountPercent { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal Amount { get; set; }
    public string? ApprovedById { get; set; }
    public DateTime? ApprovedAt { get; set; }

    public string AuditKey => $"{QuoteId}:{LineNo}";
}

public sealed class QuoteConfiguration : IEntityTypeConfiguration<Quote>
{
    public void Configure(EntityTypeBuilder<Quote> b)
    {
        b.Property(q => q.Number).HasMaxLength(40);
        b.HasIndex(q => q.Number).IsUnique();
        b.Property(q => q.Currency).HasMaxLength(3);
        b.Property(q => q.State).HasConversion<string>().HasMaxLength(20);
        b.Property(q => q.Note).HasMaxLength(2000);
        b.Property(q => q.DecisionNote).HasMaxLength(2000);
        b.Property(q => q.Total).HasPrecision(18, 2);
        b.Property(q => q.ListTotal).HasPrecision(18, 2);
        b.HasIndex(q => new { q.AccountId, q.CreatedAt });
        b.HasIndex(q => new { q.State, q.CreatedAt });
        b.HasIndex(q => q.CreatedAt);
        b.HasOne<Account>().WithMany().HasForeignKey(q => q.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.Property(q => q.Version).IsConcurrencyToken();
        b.Ignore(q => q.AuditKey);
        b.Ignore(q => q.IsEditable);
    }
}

public sealed class QuoteLineConfiguration : IEntityTypeConfiguration<QuoteLine>
{
    public void Configure(EntityTypeBuilder<QuoteLine> b)
    {
        b.HasIndex(l => new { l.QuoteId, l.LineNo }).IsUnique();
        b.HasIndex(l => l.ProductId);
        b.Property(l => l.PriceListName).HasMaxLength(200);
        b.Property(l => l.PolicyRule).HasMaxLength(400);
        b.Property(l => l.Quantity).HasPrecision(18, 4);
        b.Property(l => l.ListPrice).HasPrecision(18, 4);
        b.Property(l => l.UnitPrice).HasPrecision(18, 4);
        b.Property(l => l.Amount).HasPrecision(18, 2);
        b.Property(l => l.PolicyDiscountPercent).HasPrecision(7, 4);
        b.Property(l => l.RequestedDiscountPercent).HasPrecision(7, 4);
        b.HasOne<Quote>().WithMany(q => q.Lines).HasForeignKey(l => l.QuoteId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Product>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(l => l.AuditKey);
    }
}
