namespace KeyAccounts.Analytics;

public enum AbcClass { A, B, C }

/// <summary>A point of the Pareto curve: the best <see cref="AccountShare"/> of accounts bring <see cref="ValueShare"/> of the total.</summary>
public sealed record ParetoPoint(double AccountShare, double ValueShare);

public sealed record ParetoResult(IReadOnlyList<ParetoPoint> Curve, double TopTwentyShare, double Total, IReadOnlyList<AbcClass> Classes)
{
    public int Count(AbcClass c) => Classes.Count(x => x == c);
}

/// <summary>
/// The 80/20 analysis: accounts sorted by value, the cumulative share curve, the share of the top 20% and ABC classes
/// (A: the accounts that make up the first 80% of the value, B: the next 15%, C: the rest).
/// A total of zero or less (e.g. profit lost overall) has no meaningful shares: every share is then 0 and all are C.
/// </summary>
public static class Pareto
{
    public static ParetoResult Analyse(IReadOnlyList<double> values, int curvePoints = 50, double aLimit = 0.8, double bLimit = 0.95)
    {
        var n = values.Count;
        var order = Enumerable.Range(0, n).OrderByDescending(i => values[i]).ThenBy(i => i).ToArray();
        var total = values.Sum();
        var classes = new AbcClass[n];
        var curve = new List<ParetoPoint> { new(0, 0) };
        if (n == 0 || total <= 0)
        {
            Array.Fill(classes, AbcClass.C);
            return new ParetoResult(n == 0 ? curve : [new(0, 0), new(1, 0)], 0, total, classes);
        }
        var cumulative = 0.0;
        var topCount = (int)Math.Ceiling(n * 0.2);
        var topShare = 0.0;
        var step = Math.Max(1, n / curvePoints);
        for (var k = 0; k < n; k++)
        {
            var before = cumulative / total;
            cumulative += values[order[k]];
            classes[order[k]] = before < aLimit ? AbcClass.A : before < bLimit ? AbcClass.B : AbcClass.C;
            if (k + 1 == topCount) topShare = cumulative / total;
            if ((k + 1) % step == 0 || k == n - 1) curve.Add(new ParetoPoint((k + 1) / (double)n, cumulative / total));
        }
        return new ParetoResult(curve, topShare, total, classes);
    }
}

public enum PriorityQuadrant { Focus, Maintain, Develop, Monitor }

/// <summary>
/// Value × potential: value is the evaluation score (0–100); potential is the mean of the revenue growth against the
/// previous period as a percentile (0–100) and a judged criterion (0–100, e.g. industry influence).
/// </summary>
public static class PriorityMatrix
{
    public static double[] Potential(IReadOnlyList<double> growth, IReadOnlyList<double> judged)
    {
        var growthPoints = Scoring.Normalize(growth, Normalization.PercentileRank, Direction.HigherIsBetter);
        return [.. growthPoints.Select((g, i) => Math.Round((g + Math.Clamp(judged[i], 0, 100)) / 2, 2))];
    }

    public static PriorityQuadrant Quadrant(double value, double potential, double split = 50) =>
        value >= split
            ? potential >= split ? PriorityQuadrant.Focus : PriorityQuadrant.Maintain
            : potential >= split ? PriorityQuadrant.Develop : PriorityQuadrant.Monitor;

    /// <summary>Growth of this period's revenue over the previous one; new revenue from nothing counts as 100%.</summary>
    public static double Growth(double previous, double current) =>
        previous > 0 ? (current - previous) / previous : current > 0 ? 1 : 0;
}
