using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Evaluation;

public enum RunStatus { Proposed, Published }

public enum RunTrigger { Manual, Scheduled }

/// <summary>
/// 评价: one evaluation of every active account over a period with one exact model version. Proposed until a leader
/// approves it; published runs are immutable and the latest one decides the accounts' tiers.
/// </summary>
public sealed class EvaluationRun : IAudited
{
    public long Id { get; set; }
    public long ModelId { get; set; }
    public int ModelVersion { get; set; }
    public required string ModelName { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public RunStatus Status { get; set; }
    public RunTrigger Trigger { get; set; }

    /// <summary>Set for scheduled runs ("model lineage:period"): unique, so two nodes cannot both create the same run.</summary>
    public string? ScheduleKey { get; set; }

    /// <summary>The published run this one is compared with (Entered / Left / …); null for the first.</summary>
    public long? PreviousRunId { get; set; }
    public int AccountCount { get; set; }

    /// <summary>How missing judgements were filled, e.g. "IndustryInfluence: 12 accounts without a judgement → population median 60".</summary>
    public string? Notes { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedById { get; set; }
    public DateTime? PublishedAt { get; set; }
    public string? PublishedById { get; set; }
    public int Version { get; set; }

    public string AuditKey => $"run {Id}";
}

/// <summary>One account's score in a run, factor by factor, its proposed tier and any manager's override.</summary>
public sealed class EvaluationResult : IAudited, IBelongsToAccount
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public long AccountId { get; set; }
    public decimal Score { get; set; }
    public int Rank { get; set; }
    public Tier ProposedTier { get; set; }
    public Tier Tier { get; set; }
    public Tier? PreviousTier { get; set; }
    public TierChange Change { get; set; }
    public List<FactorScore> Factors { get; set; } = [];

    /// <summary>How the score was made where a rule stepped in (missing judgements).</summary>
    public string? Explanation { get; set; }
    public string? OverrideReason { get; set; }
    public string? OverriddenById { get; set; }
    public DateTime? OverriddenAt { get; set; }

    public string AuditKey => $"run {RunId}";
}

public sealed class EvaluationRunConfiguration : IEntityTypeConfiguration<EvaluationRun>
{
    public void Configure(EntityTypeBuilder<EvaluationRun> b)
    {
        b.Property(r => r.ModelName).HasMaxLength(100);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.ScheduleKey).HasMaxLength(80);
        b.HasIndex(r => r.ScheduleKey).IsUnique();
        b.HasIndex(r => new { r.Status, r.PublishedAt });
        b.Property(r => r.Notes).HasMaxLength(2000);
        b.HasOne<EvaluationModel>().WithMany().HasForeignKey(r => r.ModelId).OnDelete(DeleteBehavior.Restrict);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Ignore(r => r.AuditKey);
    }
}

public sealed class EvaluationResultConfiguration : IEntityTypeConfiguration<EvaluationResult>
{
    public void Configure(EntityTypeBuilder<EvaluationResult> b)
    {
        b.HasIndex(r => new { r.RunId, r.AccountId }).IsUnique();
        b.HasIndex(r => new { r.RunId, r.Rank });
        b.HasIndex(r => new { r.RunId, r.Tier, r.Rank });
        b.HasIndex(r => new { r.RunId, r.Change, r.Rank });
        b.HasIndex(r => new { r.AccountId, r.RunId });
        b.Property(r => r.Score).HasPrecision(9, 4);
        b.Property(r => r.ProposedTier).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Tier).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.PreviousTier).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Change).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Factors).HasConversion(
            v => StoredFactors.Serialize(v),
            s => StoredFactors.Deserialize(s),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<FactorScore>>(
                (a, c) => StoredFactors.Serialize(a!) == StoredFactors.Serialize(c!), v => StoredFactors.Serialize(v).GetHashCode(), v => v.ToList()));
        b.Property(r => r.Explanation).HasMaxLength(1000);
        b.Property(r => r.OverrideReason).HasMaxLength(500);
        b.HasOne<EvaluationRun>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Account>().WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(r => r.AuditKey);
    }
}

/// <summary>
/// Factors as stored: short property names, because a run writes one row per account (a million at scale) and the
/// factor text is most of each row. The API shows them with their full names (<see cref="FactorScore"/>).
/// </summary>
public static class StoredFactors
{
    private sealed record Stored(
        [property: System.Text.Json.Serialization.JsonPropertyName("c")] string Criterion,
        [property: System.Text.Json.Serialization.JsonPropertyName("r")] double RawValue,
        [property: System.Text.Json.Serialization.JsonPropertyName("n")] double NormalizedValue,
        [property: System.Text.Json.Serialization.JsonPropertyName("w")] decimal Weight,
        [property: System.Text.Json.Serialization.JsonPropertyName("x")] decimal Contribution);

    public static string Serialize(IEnumerable<FactorScore> factors) =>
        System.Text.Json.JsonSerializer.Serialize(factors.Select(f => new Stored(f.Criterion, f.RawValue, f.NormalizedValue, f.Weight, f.Contribution)), Json.Options);

    public static List<FactorScore> Deserialize(string text) =>
        [.. (System.Text.Json.JsonSerializer.Deserialize<List<Stored>>(text, Json.Options) ?? [])
            .Select(f => new FactorScore(f.Criterion, f.RawValue, f.NormalizedValue, f.Weight, f.Contribution))];
}
