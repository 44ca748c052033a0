using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Audit;

public enum AuditAction { Created, Updated, Deleted }

/// <summary>One change to business data: who, when, what, before and after. Append-only.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public required string Entity { get; set; }
    public required string EntityKey { get; set; }
    public long? AccountId { get; set; }
    public AuditAction Action { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(e => e.Entity).HasMaxLength(60);
        b.Property(e => e.EntityKey).HasMaxLength(80);
        b.Property(e => e.UserName).HasMaxLength(256);
        b.Property(e => e.Action).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(e => new { e.AccountId, e.Id });
        b.HasIndex(e => new { e.Entity, e.EntityKey });
    }
}
