using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Transactions;

/// <summary>A product we sell, identified by the ERP's product code.</summary>
public sealed class Product : IAudited
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public string AuditKey => Code;
}

public sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> b)
    {
        b.Property(p => p.Code).HasMaxLength(40);
        b.HasIndex(p => p.Code).IsUnique();
        b.Property(p => p.Name).HasMaxLength(200);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.Ignore(p => p.AuditKey);
    }
}
