using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Transactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Quotes;

/// <summary>Whom a price list is for: everyone (the list prices), the accounts of one tier, or one account (a dealer's own list).</summary>
public enum PriceListScope { Standard, Tier, Account }

/// <summary>
/// A dated price list (价目表). A quote line takes its price from the most specific list valid on the quote's day that has the
/// product: the account's own list, else its tier's, else the standard list (<see cref="QuotePricing"/>).
/// </summary>
public sealed class PriceList : IAudited
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public PriceListScope Scope { get; set; }

    /// <summary>The tier a <see cref="PriceListScope.Tier"/> list is for.</summary>
    public Tier? Tier { get; set; }

    /// <summary>The account (usually a dealer) an <see cref="PriceListScope.Account"/> list is for.</summary>
    public long? AccountId { get; set; }
    public DateOnly ValidFrom { get; set; }

    /// <summary>The last day the list applies (inclusive); open-ended when null.</summary>
    public DateOnly? ValidTo { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public List<PriceListLine> Lines { get; set; } = [];

    public string AuditKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One product's price on a list, in CNY before any discount.</summary>
public sealed class PriceListLine : IAudited
{
    public long Id { get; set; }
    public long PriceListId { get; set; }
    public long ProductId { get; set; }
    public decimal UnitPrice { get; set; }

    public string AuditKey => $"{PriceListId}:{ProductId}";
}

public sealed class PriceListConfiguration : IEntityTypeConfiguration<PriceList>
{
    public void Configure(EntityTypeBuilder<PriceList> b)
    {
        b.Property(p => p.Name).HasMaxLength(200);
        b.Property(p => p.Scope).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Tier).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(p => new { p.Scope, p.ValidFrom });
        b.HasIndex(p => p.AccountId);
        b.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.Ignore(p => p.AuditKey);
    }
}

public sealed class PriceListLineConfiguration : IEntityTypeConfiguration<PriceListLine>
{
    public void Configure(EntityTypeBuilder<PriceListLine> b)
    {
        b.HasIndex(l => new { l.PriceListId, l.ProductId }).IsUnique();
        b.HasIndex(l => l.ProductId);
        b.Property(l => l.UnitPrice).HasPrecision(18, 4);
        b.HasOne<PriceList>().WithMany(p => p.Lines).HasForeignKey(l => l.PriceListId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Product>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(l => l.AuditKey);
    }
}
