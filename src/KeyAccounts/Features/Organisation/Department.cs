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

/// <summary>The organisation tree as queries: a department's subtree is every department whose path starts with its path.</summary>
public static class DepartmentTree
{
    /// <summary>The ids of <paramref name="roots"/> and of every department below them (a scan of the small departments table).</summary>
    public static IQueryable<int> Subtree(AppDb db, IQueryable<int> roots) =>
        from root in db.Departments
        where roots.Contains(root.Id)
        from department in db.Departments
        where department.Path.StartsWith(root.Path)
        select department.Id;
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
