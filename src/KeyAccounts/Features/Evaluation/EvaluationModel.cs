using System.Text.Json;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Evaluation;

/// <summary>Where a criterion's raw value comes from: the transaction records of the period, or people's judgement.</summary>
public enum CriterionSource { ContractCount, AverageUnitPrice, SalesRevenue, CollectionRate, Profit, QualityLoss, Judged }

public enum WeightMethod { Direct, Ahp }

public enum ModelStatus { Draft, Active, Retired }

public enum EvaluationSchedule { None, Yearly, Quarterly }

/// <summary>What a run does for an account that has no judgement for a judged criterion in the period.</summary>
public enum MissingJudgementRule { PopulationMedian, Zero }

/// <summary>
/// One criterion of the rating standard. <see cref="Key"/> names it in results and judgements (e.g. "SalesRevenue",
/// "IndustryInfluence", or an administrator's own judged criterion such as "StrategicFit").
/// </summary>
public sealed record Criterion(
    string Key, string Name, CriterionSource Source, Direction Direction, Normalization Normalization, decimal Weight,
    List<PointBand>? Bands = null);

/// <summary>评价标准: a versioned rating standard. Editing an active (or already used) version creates the next version.</summary>
public sealed class EvaluationModel : IAudited
{
    public long Id { get; set; }

    /// <summary>The id of the first version: all versions of one standard share it.</summary>
    public long LineageId { get; set; }
    public required string Name { get; set; }
    public int ModelVersion { get; set; } = 1;
    public ModelStatus Status { get; set; }
    public List<Criterion> Criteria { get; set; } = [];
    public WeightMethod WeightMethod { get; set; }

    /// <summary>The AHP pairwise matrix over <see cref="Criteria"/> in their order, when weights come from AHP.</summary>
    public List<List<double>>? AhpMatrix { get; set; }
    public double? ConsistencyRatio { get; set; }
    public TierRules TierRules { get; set; } = TierRules.Default;
    public MissingJudgementRule MissingJudgements { get; set; }
    public EvaluationSchedule Schedule { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ActivatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public string AuditKey => $"{Name} v{ModelVersion}";
}

public sealed class EvaluationModelConfiguration : IEntityTypeConfiguration<EvaluationModel>
{
    public void Configure(EntityTypeBuilder<EvaluationModel> b)
    {
        b.Property(m => m.Name).HasMaxLength(100);
        b.HasIndex(m => new { m.LineageId, m.ModelVersion }).IsUnique();
        b.HasIndex(m => new { m.Status, m.ActivatedAt });
        b.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.WeightMethod).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.MissingJudgements).HasConversion<string>().HasMaxLength(24);
        b.Property(m => m.Schedule).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.Criteria).HasJsonColumn();
        b.Property(m => m.AhpMatrix).HasJsonColumn();
        b.Property(m => m.TierRules).HasJsonColumn();
        b.Property(m => m.Version).IsConcurrencyToken();
        b.Ignore(m => m.AuditKey);
    }
}

public static class JsonColumns
{
    /// <summary>A typed value stored as JSON text, compared by content (records without a parameterless constructor too).</summary>
    public static PropertyBuilder<T> HasJsonColumn<T>(this PropertyBuilder<T> property)
    {
        property.HasConversion(
            v => JsonSerializer.Serialize(v, Json.Options),
            s => JsonSerializer.Deserialize<T>(s, Json.Options)!,
            new ValueComparer<T>(
                (a, c) => JsonSerializer.Serialize(a, Json.Options) == JsonSerializer.Serialize(c, Json.Options),
                v => JsonSerializer.Serialize(v, Json.Options).GetHashCode(),
                v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Json.Options), Json.Options)!));
        return property;
    }
}
