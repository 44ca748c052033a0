using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Organisation;

/// <summary>A unit of the sales organisation: company → region → sales department, of any depth.</summary>
public sealed class Department : IAudited
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public int? ParentId { get; set; }
    public Department? Parent { get; set; }
    public string? HeadUserId { get; set; }

    /// <summary>Materialised path of ids, e.g. "/1/4/9/": a manager's scope is every path that starts with theirs.</summary>
    public string Path { get; set; } = "/";
    public int Version { get; set; }

    public string AuditKey => Id.ToString();
}

public sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> b)
    {
        b.Property(d => d.Name).HasMaxLength(100);
        b.Property(d => d.Path).HasMaxLength(400);
        b.HasIndex(d => d.Path);
        b.HasOne(d => d.Parent).WithMany().HasForeignKey(d => d.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.Property(d => d.Version).IsConcurrencyToken();
    }
}
