using KeyAccounts.Analytics;
using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Policies;

/// <summary>
/// 销售政策: a named policy with dated versions. Each version says from when to when it holds, its priority, its conditions and
/// its benefits; the versions of one policy never overlap.
/// </summary>
public sealed class SalesPolicy : IAudited
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
    public List<SalesPolicyVersion> Versions { get; set; } = [];

    public string AuditKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One dated version of a <see cref="SalesPolicy"/>. Tiers and account types are kept as comma-separated English keys.</summary>
public sealed class SalesPolicyVersion : IAudited
{
    public long Id { get; set; }
    public long PolicyId { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public int Priority { get; set; }

    public string? Tiers { get; set; }
    public string? AccountTypes { get; set; }
    public decimal? MinRevenue12m { get; set; }
    public int? MinContracts12m { get; set; }
    public decimal? MinCollectionRate { get; set; }
    public decimal? MaxQualityLoss12m { get; set; }
    public int? MinActiveMonths12m { get; set; }
    public decimal? MinAverageUnitPrice12m { get; set; }

    public decimal? DiscountPercent { get; set; }
    public int? PaymentTermDays { get; set; }
    public decimal? CreditLimit { get; set; }
    public decimal? CommissionRate { get; set; }
    public decimal? ExpenseBudget { get; set; }
    public int? LeadershipVisitsPerYear { get; set; }
    public int? TechnicalVisitsPerYear { get; set; }
    public int? BusinessVisitsPerYear { get; set; }

    public DateTime CreatedAt { get; set; }

    public string AuditKey => $"{PolicyId}:{ValidFrom:yyyy-MM-dd}";

    public bool HoldsOn(DateOnly day) => ValidFrom <= day && (ValidTo is null || day <= ValidTo);

    public static IReadOnlyList<string>? Split(string? list) =>
        string.IsNullOrEmpty(list) ? null : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string? Join(IEnumerable<string>? items) => items is null || !items.Any() ? null : string.Join(",", items);

    public TermsConditions Conditions => new(Split(Tiers), Split(AccountTypes), MinRevenue12m, MinContracts12m, MinCollectionRate, MaxQualityLoss12m,
        MinActiveMonths12m, MinAverageUnitPrice12m);

    public TermsBenefits Benefits => new(DiscountPercent, PaymentTermDays, CreditLimit, CommissionRate, ExpenseBudget, LeadershipVisitsPerYear,
        TechnicalVisitsPerYear, BusinessVisitsPerYear);

    public TermsRuleInput ToRule(string name) => new(PolicyId, Id, name, Priority, Conditions, Benefits);
}

public sealed class SalesPolicyConfiguration : IEntityTypeConfiguration<SalesPolicy>
{
    public void Configure(EntityTypeBuilder<SalesPolicy> b)
    {
        b.ToTable("SalesPolicies");
        b.Property(p => p.Name).HasMaxLength(200);
        b.HasIndex(p => p.Name);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.HasMany(p => p.Versions).WithOne().HasForeignKey(v => v.PolicyId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(p => p.AuditKey);
    }
}

public sealed class SalesPolicyVersionConfiguration : IEntityTypeConfiguration<SalesPolicyVersion>
{
    public void Configure(EntityTypeBuilder<SalesPolicyVersion> b)
    {
        b.ToTable("SalesPolicyVersions");
        // The versions in force on a day: few rows, read whole by validity.
        b.HasIndex(v => new { v.ValidFrom, v.ValidTo });
        b.HasIndex(v => v.PolicyId);
        b.Property(v => v.Tiers).HasMaxLength(100);
        b.Property(v => v.AccountTypes).HasMaxLength(100);
        foreach (var money in new[] { nameof(SalesPolicyVersion.MinRevenue12m), nameof(SalesPolicyVersion.MaxQualityLoss12m),
                     nameof(SalesPolicyVersion.MinAverageUnitPrice12m), nameof(SalesPolicyVersion.CreditLimit), nameof(SalesPolicyVersion.ExpenseBudget) })
            b.Property(money).HasPrecision(18, 2);
        b.Property(v => v.MinCollectionRate).HasPrecision(9, 4);
        b.Property(v => v.DiscountPercent).HasPrecision(9, 4);
        b.Property(v => v.CommissionRate).HasPrecision(9, 6);
        b.Ignore(v => v.AuditKey);
        b.Ignore(v => v.Conditions);
        b.Ignore(v => v.Benefits);
    }
}
