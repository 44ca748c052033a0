using System.Globalization;
using System.Text;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KeyAccounts.Features.Evaluation;

/// <summary>
/// Where a run is in its approval: Proposed waits for a leader; Published (approved) decides the tiers; Rejected is final;
/// Returned went back to its author with a reason and waits to be submitted again. The same states an approval engine gives
/// any document (pending, approved, rejected, sent back).
/// </summary>
public enum RunStatus { Proposed, Published, Rejected, Returned }

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

    /// <summary>How missing judgements were filled, in English (logs, the command line); <see cref="Gaps"/> is what screens word.</summary>
    public string? Notes { get; set; }

    /// <summary>The judged criteria the run filled in by the model's rule, one per criterion with accounts lacking a judgement.</summary>
    public List<JudgementGap>? Gaps { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedById { get; set; }
    public DateTime? PublishedAt { get; set; }
    public string? PublishedById { get; set; }

    /// <summary>The last decision on the run (approved, rejected, returned): who, when and why.</summary>
    public string? DecidedById { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecisionReason { get; set; }
    public int Version { get; set; }

    public string AuditKey => $"run {Id}";
}

/// <summary>One account's score in a run, factor by factor, its proposed tier and any manager's override. Keyed by run and account.</summary>
public sealed class EvaluationResult : IAudited, IBelongsToAccount
{
    public long RunId { get; set; }
    public long AccountId { get; set; }
    public decimal Score { get; set; }
    public int Rank { get; set; }
    public Tier ProposedTier { get; set; }
    public Tier Tier { get; set; }
    public Tier? PreviousTier { get; set; }
    public TierChange Change { get; set; }

    /// <summary>The factors in the compact stored form; read them with <see cref="RunCriteria.Factors"/> of the run.</summary>
    public string FactorValues { get; set; } = "";

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
        b.Property(r => r.Gaps).HasJsonColumn();
        b.Property(r => r.DecisionReason).HasMaxLength(500);
        b.HasOne<EvaluationModel>().WithMany().HasForeignKey(r => r.ModelId).OnDelete(DeleteBehavior.Restrict);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Ignore(r => r.AuditKey);
    }
}

public sealed class EvaluationResultConfiguration : IEntityTypeConfiguration<EvaluationResult>
{
    public void Configure(EntityTypeBuilder<EvaluationResult> b)
    {
        // Results are written in rank order, one run at a time: every index begins with the run, so a run's million rows are
        // appended at the end of each index instead of spread over all earlier runs. No foreign keys: runs and accounts are
        // never deleted, and checking two keys per row was a third of a run's write. An account's history reads run by run.
        b.HasKey(r => new { r.RunId, r.AccountId });
        b.HasIndex(r => new { r.RunId, r.Rank });
        b.HasIndex(r => new { r.RunId, r.Tier, r.Rank });
        b.HasIndex(r => new { r.RunId, r.Change, r.Rank });
        b.Property(r => r.Score).HasPrecision(9, 4);
        b.Property(r => r.ProposedTier).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Tier).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.PreviousTier).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Change).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Explanation).HasMaxLength(1000);
        b.Property(r => r.OverrideReason).HasMaxLength(500);
        b.Ignore(r => r.AuditKey);
    }
}

/// <summary>
/// The criteria of the model version a run used, in order: what the stored factors of its results are read with. A model
/// version is immutable once it has been run, so the names and weights are stored once there instead of in every result
/// (a run writes a million rows at scale).
/// </summary>
public sealed class RunCriteria
{
    private readonly string[] keys;
    private readonly decimal[] weights;

    public RunCriteria(IReadOnlyList<Criterion> criteria)
    {
        (keys, weights) = (criteria.Select(c => c.Key).ToArray(), criteria.Select(c => c.Weight).ToArray());
        Names = criteria.DistinctBy(c => c.Key).ToDictionary(c => c.Key, c => c.Name);
    }

    /// <summary>The criteria's names by key: what explanations call them.</summary>
    public IReadOnlyDictionary<string, string> Names { get; }

    /// <summary>The criteria of the runs' model versions, by run id.</summary>
    public static async Task<Dictionary<long, RunCriteria>> OfRunsAsync(AppDb db, IEnumerable<long> runIds, CancellationToken ct)
    {
        var ids = runIds.Distinct().ToArray();
        if (ids.Length == 0) return [];
        var rows = await (from r in db.EvaluationRuns.AsNoTracking()
                          join m in db.EvaluationModels.AsNoTracking() on r.ModelId equals m.Id
                          where ids.Contains(r.Id)
                          select new { r.Id, m.Criteria }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => new RunCriteria(r.Criteria));
    }

    public static async Task<RunCriteria> OfRunAsync(AppDb db, long runId, CancellationToken ct) =>
        (await OfRunsAsync(db, [runId], ct))[runId];

    /// <summary>
    /// One result's factors as stored: raw value, points (0–100, 4 places) and contribution per criterion, in the criteria's
    /// order, separated by spaces, invariant culture.
    /// </summary>
    public static void Write(StringBuilder text, ReadOnlySpan<double> raw, ReadOnlySpan<double> points, ReadOnlySpan<decimal> contributions)
    {
        var invariant = CultureInfo.InvariantCulture;
        for (var k = 0; k < raw.Length; k++)
        {
            if (k > 0) text.Append(' ');
            text.Append(invariant, $"{raw[k]:R} {Math.Round(points[k], 4)} {contributions[k]}");
        }
    }

    public IReadOnlyList<FactorScore> Factors(string stored)
    {
        var factors = new FactorScore[keys.Length];
        var rest = stored.AsSpan();
        for (var k = 0; k < keys.Length; k++)
            factors[k] = new FactorScore(keys[k], double.Parse(Next(ref rest), CultureInfo.InvariantCulture),
                double.Parse(Next(ref rest), CultureInfo.InvariantCulture), weights[k], decimal.Parse(Next(ref rest), CultureInfo.InvariantCulture));
        return factors;
    }

    /// <summary>The points of one criterion (by its position in the model's criteria) without reading the others.</summary>
    public static double Points(string stored, int index)
    {
        var rest = stored.AsSpan();
        for (var skip = 0; skip < index * 3 + 1; skip++) Next(ref rest);
        return double.Parse(Next(ref rest), CultureInfo.InvariantCulture);
    }

    private static ReadOnlySpan<char> Next(ref ReadOnlySpan<char> rest)
    {
        var end = rest.IndexOf(' ');
        var value = end < 0 ? rest : rest[..end];
        rest = end < 0 ? [] : rest[(end + 1)..];
        return value;
    }
}
