using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Visits;

/// <summary>
/// 访问频次政策: per tier, how many visits a year at each level and after how many silent days the owner's manager is told.
/// A tier without a row follows <see cref="VisitFrequency.Default"/>; the administrator's edits write rows.
/// </summary>
public sealed class VisitPolicy : IAudited
{
    public Tier Tier { get; set; }
    public int LeadershipPerYear { get; set; }
    public int TechnicalPerYear { get; set; }
    public int BusinessPerYear { get; set; }
    public int EscalateAfterDays { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public string AuditKey => Tier.ToString();

    public VisitRequirement ToRequirement() => new(LeadershipPerYear, TechnicalPerYear, BusinessPerYear, EscalateAfterDays);
}

public sealed class VisitPolicyConfiguration : IEntityTypeConfiguration<VisitPolicy>
{
    public void Configure(EntityTypeBuilder<VisitPolicy> b)
    {
        b.HasKey(p => p.Tier);
        b.Property(p => p.Tier).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.Ignore(p => p.AuditKey);
    }
}

public static class VisitPolicies
{
    /// <summary>The requirement of every tier: stored rows over the defaults.</summary>
    public static async Task<IReadOnlyDictionary<Tier, VisitRequirement>> LoadAsync(AppDb db, CancellationToken ct)
    {
        var stored = await db.VisitPolicies.AsNoTracking().ToDictionaryAsync(p => p.Tier, p => p.ToRequirement(), ct);
        return Enum.GetValues<Tier>().ToDictionary(t => t, t => stored.GetValueOrDefault(t) ?? VisitFrequency.Default(t.ToString()));
    }
}
