namespace KeyAccounts.Analytics;

public enum Direction { HigherIsBetter, LowerIsBetter }

/// <summary>How a raw value becomes 0–100 points.</summary>
public enum Normalization
{
    /// <summary>(x − min) / (max − min) over the population.</summary>
    MinMax,

    /// <summary>Share of the population below x, ties counted half.</summary>
    PercentileRank,

    /// <summary>The administrator's own bands: the points of the highest band whose lower bound x reaches.</summary>
    Bands,

    /// <summary>The raw value already is 0–100 points (judged scores).</summary>
    Points,
}

/// <summary>"Raw value ≥ <see cref="Min"/> → <see cref="Points"/>".</summary>
public sealed record PointBand(double Min, double Points);

/// <summary>One criterion's share of an account's score.</summary>
public sealed record FactorScore(string Criterion, double RawValue, double NormalizedValue, decimal Weight, decimal Contribution);

public sealed record TierRules(double KeyMin, double MajorMin, double OrdinaryMin, int? KeyCap = null, int? MajorCap = null, int? OrdinaryCap = null)
{
    public static readonly TierRules Default = new(80, 60, 30);
}

public enum TierChange { Entered, Left, Up, Down, Unchanged, New }

public static class Scoring
{
    /// <summary>
    /// Raw values of one criterion over the whole population to 0–100. When every value is the same nothing tells the
    /// accounts apart, so min-max gives all of them the neutral 50. With bands, the administrator's points already carry
    /// the direction (e.g. "loss ≥ 100,000 → 0"), so <paramref name="direction"/> is not applied again.
    /// </summary>
    public static double[] Normalize(IReadOnlyList<double> raw, Normalization normalization, Direction direction, IReadOnlyList<PointBand>? bands = null)
    {
        var n = raw.Count;
        var result = new double[n];
        if (n == 0) return result;
        switch (normalization)
        {
            case Normalization.MinMax:
                {
                    double min = double.MaxValue, max = double.MinValue;
                    foreach (var x in raw) { if (x < min) min = x; if (x > max) max = x; }
                    for (var i = 0; i < n; i++)
                        result[i] = max - min < 1e-12 ? 50 : (raw[i] - min) / (max - min) * 100;
                    break;
                }
            case Normalization.PercentileRank:
                {
                    // Array.Sort on a copy of the keys: a million accounts per criterion in a run.
                    var keys = raw.ToArray();
                    var order = new int[n];
                    for (var i = 0; i < n; i++) order[i] = i;
                    Array.Sort(keys, order);
                    for (var k = 0; k < n;)
                    {
                        var end = k;
                        while (end + 1 < n && keys[end + 1] == keys[k]) end++;
                        var rank = (k + 0.5 * (end - k + 1)) / n * 100;
                        for (var t = k; t <= end; t++) result[order[t]] = rank;
                        k = end + 1;
                    }
                    break;
                }
            case Normalization.Bands:
                {
                    var sorted = (bands ?? []).OrderByDescending(b => b.Min).ToArray();
                    for (var i = 0; i < n; i++)
                        result[i] = Math.Clamp(sorted.FirstOrDefault(b => raw[i] >= b.Min)?.Points ?? 0, 0, 100);
                    return result;
                }
            case Normalization.Points:
                for (var i = 0; i < n; i++) result[i] = Math.Clamp(raw[i], 0, 100);
                break;
        }
        if (direction == Direction.LowerIsBetter)
            for (var i = 0; i < n; i++) result[i] = 100 - result[i];
        return result;
    }

    /// <summary>
    /// The weighted score: each criterion's <see cref="Contribution"/> is rounded to 4 places first, so the contributions shown
    /// add up exactly to the score.
    /// </summary>
    public static decimal Total(IReadOnlyList<decimal> weights, ReadOnlySpan<double> normalized)
    {
        var score = 0m;
        for (var k = 0; k < weights.Count; k++) score += Contribution(normalized[k], weights[k]);
        return score;
    }

    public static decimal Contribution(double normalized, decimal weight) => Math.Round((decimal)normalized * weight, 4, MidpointRounding.AwayFromZero);

    /// <summary>Positions ordered best first: by score descending, ties by position (the aggregation's account order).</summary>
    public static int[] BestFirst(IReadOnlyList<decimal> scores)
    {
        var order = new int[scores.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]) is var c && c != 0 ? c : a.CompareTo(b));
        return order;
    }

    /// <summary>Each position's rank (1 = best) from <see cref="BestFirst"/>.</summary>
    public static int[] Ranks(int[] bestFirst)
    {
        var ranks = new int[bestFirst.Length];
        for (var r = 0; r < bestFirst.Length; r++) ranks[bestFirst[r]] = r + 1;
        return ranks;
    }

    /// <summary>
    /// Tiers by score cut-off, best first, as levels: 0 the top tier (reaching <see cref="TierRules.KeyMin"/>) … 3 the bottom one. A
    /// tier that reached its cap passes the next accounts down to the tier below (ties at a cap are broken by the order given,
    /// e.g. account code).
    /// </summary>
    public static int[] AssignTiers(IReadOnlyList<decimal> scores, TierRules rules, int[]? bestFirst = null)
    {
        var result = new int[scores.Count];
        var order = bestFirst ?? BestFirst(scores);
        var counts = new int[4];
        int?[] caps = [rules.KeyCap, rules.MajorCap, rules.OrdinaryCap, null];
        foreach (var i in order)
        {
            var s = (double)scores[i];
            var tier = s >= rules.KeyMin ? 0 : s >= rules.MajorMin ? 1 : s >= rules.OrdinaryMin ? 2 : 3;
            while (tier < 3 && caps[tier] is { } cap && counts[tier] >= cap) tier++;
            counts[tier]++;
            result[i] = tier;
        }
        return result;
    }

    /// <summary>The move against the currently published list, between tier levels (0 the top tier, as <see cref="AssignTiers"/>).</summary>
    public static TierChange Classify(int? previous, int current) => previous switch
    {
        null => TierChange.New,
        0 when current != 0 => TierChange.Left,
        not 0 when current == 0 => TierChange.Entered,
        { } p when current < p => TierChange.Up,
        { } p when current > p => TierChange.Down,
        _ => TierChange.Unchanged,
    };

    /// <summary>The criteria whose contribution changed most since the previous published result, largest first.</summary>
    public static IReadOnlyList<(string Criterion, decimal Delta)> MovedMost(IReadOnlyList<FactorScore> current, IReadOnlyList<FactorScore>? previous, int take = 2)
    {
        if (previous is null) return [];
        var before = previous.ToDictionary(f => f.Criterion, f => f.Contribution);
        return current
            .Select(f => (f.Criterion, Delta: f.Contribution - before.GetValueOrDefault(f.Criterion)))
            .Where(d => d.Delta != 0)
            .OrderByDescending(d => Math.Abs(d.Delta)).ThenBy(d => d.Criterion, StringComparer.Ordinal)
            .Take(take)
            .ToList();
    }

    /// <summary>The median, used for judged criteria an account has no judgement for.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
