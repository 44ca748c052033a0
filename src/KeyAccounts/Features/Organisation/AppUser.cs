using KeyAccounts.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Organisation;

public sealed class AppUser : IdentityUser, IAudited
{
    public string AuditKey => UserName ?? Id;

    public string DisplayName { get; set; } = "";
    public int? DepartmentId { get; set; }
    public Department? Department { get; set; }
    public bool IsActive { get; set; } = true;
}

public sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(100);
        b.Ignore(u => u.AuditKey);
        b.HasOne(u => u.Department).WithMany().HasForeignKey(u => u.DepartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Leader = "Leader";
    public const string Manager = "Manager";
    public const string Rep = "Rep";
    public const string Engineer = "Engineer";
    public const string Finance = "Finance";

    public static readonly IReadOnlyList<string> All = [Admin, Leader, Manager, Rep, Engineer, Finance];
}
