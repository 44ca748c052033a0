using System.Text.Json.Serialization;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Evaluation;

/// <summary>80/20 for a period over the caller's book: Pareto curves of revenue and profit, top-20% shares, ABC classes.</summary>
public static class ParetoAnalysis
{
    public sealed record Measure(IReadOnlyList<ParetoPoint> Curve, double TopTwentyShare, double Total, Dictionary<AbcClass, int> Classes);

    public sealed record TopAccount(long AccountId, string AccountCode, string AccountName, decimal Revenue, decimal Profit, AbcClass RevenueClass);

    public sealed record Response(int Accounts, Measure Revenue, Measure Profit, IReadOnlyList<TopAccount> Top);

    public static async Task<Results<Ok<Response>, ValidationProblem>> HandleAsync(
        DateOnly? periodStart, DateOnly? periodEnd, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (periodStart is not { } s || periodEnd is not { } e || s > e) return Validation.Single("periodStart", $"Give a period: periodStart ≤ periodEnd.");
        var lines = db.OrderLines.AsNoTracking().Where(l => l.OrderDate >= s && l.OrderDate <= e);
        if (user.Scope != DataScope.All)
        {
            var visible = db.VisibleAccountIds(user);
            lines = lines.Where(l => visible.Contains(l.AccountId));
        }
        var ids = new List<long>();
        var revenue = new List<double>();
        var profit = new List<double>();
        await foreach (var g in lines.GroupBy(l => l.AccountId)
                           .Select(g => new { g.Key, Revenue = g.Sum(l => l.Quantity * l.UnitPrice), Cost = g.Sum(l => l.Quantity * l.UnitCost) })
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            ids.Add(g.Key);
            revenue.Add((double)g.Revenue);
            profit.Add((double)(g.Revenue - g.Cost));
        }
        var r = Pareto.Analyse(revenue);
        var p = Pareto.Analyse(profit);
        var top = Enumerable.Range(0, ids.Count).OrderByDescending(i => revenue[i]).Take(20).ToList();
        var topIds = top.Select(i => ids[i]).ToArray();
        var names = await db.Accounts.Where(a => topIds.Contains(a.Id)).Select(a => new { a.Id, a.Code, a.Name }).ToDictionaryAsync(a => a.Id, ct);
        return TypedResults.Ok(new Response(ids.Count, ToMeasure(r), ToMeasure(p),
            [.. top.Select(i => new TopAccount(ids[i], names[ids[i]].Code, names[ids[i]].Name, Math.Round((decimal)revenue[i], 2), Math.Round((decimal)profit[i], 2), r.Classes[i]))]));
    }

    private static Measure ToMeasure(ParetoResult r) =>
        new(r.Curve, r.TopTwentyShare, r.Total, Enum.GetValues<AbcClass>().ToDictionary(c => c, r.Count));
}

/// <summary>
/// Value × potential for a run's accounts in the caller's book: value is the run's score; potential mixes revenue growth
/// over the preceding period of the same length (as a percentile) with the first judged criterion's points.
/// </summary>
public static class PriorityAnalysis
{
    public sealed record Point(long AccountId, string AccountCode, string AccountName, double Value, double Potential, PriorityQuadrant Quadrant, Tier Tier);

    /// <param name="PotentialFrom">What potential is made of, in English; <paramref name="PotentialCriterion"/> names its judged criterion (null: growth alone).</param>
    /// <param name="Accounts">With <c>?quadrant=</c>: one page of that quadrant's accounts, highest value first (left out otherwise).</param>
    public sealed record Response(Dictionary<PriorityQuadrant, int> Quadrants, IReadOnlyList<Point> Points, string PotentialFrom, string? PotentialCriterion = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Paged<Point>? Accounts = null);

    public static async Task<Results<Ok<Response>, NotFound>> HandleAsync(long id, int? limit, PriorityQuadrant? quadrant, int? page, int? pageSize,
        AppDb db, CurrentUser user, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return TypedResults.NotFound();
        var results = db.EvaluationResults.AsNoTracking().Where(r => r.RunId == id);
        if (user.Scope != DataScope.All)
        {
            var visible = db.VisibleAccountIds(user);
            results = results.Where(r => visible.Contains(r.AccountId));
        }
        var model = await db.EvaluationModels.AsNoTracking().FirstAsync(m => m.Id == run.ModelId, ct);
        var judgedAt = model.Criteria.FindIndex(c => c.Source == CriterionSource.Judged);
        var judgedKey = judgedAt < 0 ? null : model.Criteria[judgedAt].Key;
        var days = run.PeriodEnd.DayNumber - run.PeriodStart.DayNumber + 1;
        var prevStart = run.PeriodStart.AddDays(-days);
        var prevEnd = run.PeriodStart.AddDays(-1);

        var rows = await results.Select(r => new EvaluationRowView(r.AccountId, r.Score, r.Tier, r.FactorValues)).ToListAsync(ct);
        var revenue = await RevenueAsync(db, results, run.PeriodStart, run.PeriodEnd, ct);
        var before = await RevenueAsync(db, results, prevStart, prevEnd, ct);
        var growth = rows.Select(r => PriorityMatrix.Growth(before.GetValueOrDefault(r.AccountId), revenue.GetValueOrDefault(r.AccountId))).ToList();
        var judged = rows.Select(r => judgedAt < 0 ? 50 : RunCriteria.Points(r.FactorValues, judgedAt)).ToList();
        var potential = PriorityMatrix.Potential(growth, judged);
        var points = rows.Select((r, i) => (r, value: (double)r.Score, potential: potential[i])).ToList();
        var quadrants = Enum.GetValues<PriorityQuadrant>().ToDictionary(q => q, q => points.Count(p => PriorityMatrix.Quadrant(p.value, p.potential) == q));
        var ordered = points.OrderByDescending(p => p.value).ThenBy(p => p.r.AccountId).ToList();
        var shown = ordered.Take(Math.Clamp(limit ?? 300, 1, 2000)).ToList();
        // Potential is a percentile over the whole run, so a quadrant is only known after scoring every row: filter and page here.
        var (pageNo, size) = Paging.Normalize(page, pageSize);
        var inQuadrant = quadrant is { } q ? ordered.Where(p => PriorityMatrix.Quadrant(p.value, p.potential) == q).ToList() : [];
        var pageRows = inQuadrant.Skip((pageNo - 1) * size).Take(size).ToList();
        var ids = shown.Concat(pageRows).Select(p => p.r.AccountId).Distinct().ToArray();
        var names = await db.Accounts.Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Code, a.Name }).ToDictionaryAsync(a => a.Id, ct);
        Point ToPoint((EvaluationRowView r, double value, double potential) p) =>
            new(p.r.AccountId, names[p.r.AccountId].Code, names[p.r.AccountId].Name, Math.Round(p.value, 2), p.potential, PriorityMatrix.Quadrant(p.value, p.potential), p.r.Tier);
        return TypedResults.Ok(new Response(quadrants, [.. shown.Select(ToPoint)],
            judgedKey is null ? "revenue growth" : $"revenue growth and {judgedKey}", judgedAt < 0 ? null : model.Criteria[judgedAt].Name,
            quadrant is null ? null : new Paged<Point>([.. pageRows.Select(ToPoint)], inQuadrant.Count, pageNo, size)));
    }

    private sealed record EvaluationRowView(long AccountId, decimal Score, Tier Tier, string FactorValues);

    private static async Task<Dictionary<long, double>> RevenueAsync(AppDb db, IQueryable<EvaluationResult> results, DateOnly s, DateOnly e, CancellationToken ct)
    {
        var ids = results.Select(r => r.AccountId);
        return await db.OrderLines.AsNoTracking().Where(l => l.OrderDate >= s && l.OrderDate <= e && ids.Contains(l.AccountId))
            .GroupBy(l => l.AccountId).Select(g => new { g.Key, Revenue = g.Sum(l => l.Quantity * l.UnitPrice) })
            .ToDictionaryAsync(g => g.Key, g => (double)g.Revenue, ct);
    }
}
