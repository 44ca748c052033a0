using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Transactions;

/// <summary>An order or contract (合同) of an account, identified by the ERP's order number.</summary>
public sealed class SalesOrder : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public required string OrderNo { get; set; }
    public long AccountId { get; set; }
    public DateOnly OrderDate { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>The quote this order was made from (Features/Quotes); null for orders fed from the ERP.</summary>
    public long? QuoteId { get; set; }

    public string AuditKey => OrderNo;
}

/// <summary>
/// One line of an order; a negative quantity is a return. Account and date are copied from the order so that the
/// evaluation aggregates lines in one pass over one table, without a join, at tens of millions of rows.
/// A fact table without foreign keys: its only writers (the imports, the ERP feeds, demo and generated data) resolve the
/// order, account and product of every line themselves, and at ERP volume the three per-row reference checks (each a
/// row lock on PostgreSQL) would be more than half of an import's time.
/// </summary>
public sealed class OrderLine : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long OrderId { get; set; }

    /// <summary>1-based position of the line inside its order: with the order number, the line's business key.</summary>
    public int LineNo { get; set; }
    public long AccountId { get; set; }
    public DateOnly OrderDate { get; set; }
    public long ProductId { get; set; }
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal UnitCost { get; set; }

    public string AuditKey => $"{OrderId}:{LineNo}";
}

public sealed class SalesOrderConfiguration : IEntityTypeConfiguration<SalesOrder>
{
    public void Configure(EntityTypeBuilder<SalesOrder> b)
    {
        b.ToTable("Orders");
        b.Property(o => o.OrderNo).HasMaxLength(40);
        b.HasIndex(o => o.OrderNo).IsUnique();
        b.HasIndex(o => new { o.AccountId, o.OrderDate });
        // A quote becomes one order at most, even when two people convert it at once.
        b.HasIndex(o => o.QuoteId).IsUnique();
        b.HasOne<Account>().WithMany().HasForeignKey(o => o.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(o => o.AuditKey);
    }
}

public sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> b)
    {
        b.HasIndex(l => new { l.OrderId, l.LineNo }).IsUnique();
        b.HasIndex(l => new { l.AccountId, l.OrderDate });
        b.HasIndex(l => l.ProductId);
        b.Property(l => l.Quantity).HasPrecision(18, 4);
        b.Property(l => l.UnitPrice).HasPrecision(18, 4);
        b.Property(l => l.UnitCost).HasPrecision(18, 4);
        b.Ignore(l => l.AuditKey);
    }
}
