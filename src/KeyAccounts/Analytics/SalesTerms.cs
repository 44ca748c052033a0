using System.Globalization;

namespace KeyAccounts.Analytics;

/// <summary>An account's trailing-twelve-month figures, the facts a sales policy's conditions are judged on.</summary>
/// <param name="CollectionRate">Paid over invoiced due, at most 1; 1 when nothing fell due (as the evaluation counts it).</param>
/// <param name="AverageUnitPrice12m">Revenue over quantity (the evaluation's average unit price); 0 without quantity.</param>
public sealed record TermsFigures(
    decimal Revenue12m, int Contracts12m, decimal CollectionRate, decimal QualityLoss12m, int ActiveMonths12m, decimal AverageUnitPrice12m)
{
    public static readonly TermsFigures None = new(0, 0, 1, 0, 0, 0);
}

/// <summary>A policy's conditions; a condition left out (null) always holds. Tiers and types are their English keys.</summary>
public sealed record TermsConditions(
    IReadOnlyList<string>? Tiers = null, IReadOnlyList<string>? AccountTypes = null, decimal? MinRevenue12m = null, int? MinContracts12m = null,
    decimal? MinCollectionRate = null, decimal? MaxQualityLoss12m = null, int? MinActiveMonths12m = null, decimal? MinAverageUnitPrice12m = null)
{
    /// <summary>Whether any condition needs the account's transactions (and not only its tier and type).</summary>
    public bool NeedsFigures => MinRevenue12m is not null || MinContracts12m is not null || MinCollectionRate is not null
        || MaxQualityLoss12m is not null || MinActiveMonths12m is not null || MinAverageUnitPrice12m is not null;
}

/// <summary>What a policy gives; a benefit left out (null) is not set by it.</summary>
public sealed record TermsBenefits(
    decimal? DiscountPercent = null, int? PaymentTermDays = null, decimal? CreditLimit = null, decimal? CommissionRate = null, decimal? ExpenseBudget = null,
    int? LeadershipVisitsPerYear = null, int? TechnicalVisitsPerYear = null, int? BusinessVisitsPerYear = null)
{
    public object? Get(Benefit b) => b switch
    {
        // Each arm boxed as itself: without the casts the switch would widen the ints to decimal.
        Benefit.DiscountPercent => (object?)DiscountPercent,
        Benefit.PaymentTermDays => (object?)PaymentTermDays,
        Benefit.CreditLimit => CreditLimit,
        Benefit.CommissionRate => CommissionRate,
        Benefit.ExpenseBudget => ExpenseBudget,
        Benefit.LeadershipVisitsPerYear => (object?)LeadershipVisitsPerYear,
        Benefit.TechnicalVisitsPerYear => (object?)TechnicalVisitsPerYear,
        _ => (object?)BusinessVisitsPerYear,
    };

    public bool Sets(Benefit b) => Get(b) is not null;

    public bool SetsVisits => LeadershipVisitsPerYear is not null || TechnicalVisitsPerYear is not null || BusinessVisitsPerYear is not null;
}

/// <summary>Each benefit a policy can give; each is decided on its own (API.md "Sales policies and terms").</summary>
public enum Benefit
{
    DiscountPercent, PaymentTermDays, CreditLimit, CommissionRate, ExpenseBudget, LeadershipVisitsPerYear, TechnicalVisitsPerYear, BusinessVisitsPerYear,
}

/// <summary>One version of a policy in force on the day asked about. <paramref name="VersionId"/> orders ties: the higher, the newer.</summary>
public sealed record TermsRuleInput(long PolicyId, long VersionId, string Name, int Priority, TermsConditions Conditions, TermsBenefits Benefits);

/// <summary>The account judged: its tier and type (English keys) and its figures.</summary>
public sealed record TermsSubject(string Tier, string AccountType, TermsFigures Figures);

/// <summary>One condition of a rule judged against the account: its field name, what it asks, what the account has.</summary>
public sealed record ConditionCheck(string Field, string Required, string Actual, bool Holds)
{
    /// <summary>English, for the API's <c>met</c> list: "minRevenue12m: 1200000.00 ≥ 1000000.00".</summary>
    public string Text => Field switch
    {
        "tiers" or "accountTypes" => $"{Field}: {Actual} in [{Required}]",
        _ when Field.StartsWith("max", StringComparison.Ordinal) => $"{Field}: {Actual} <= {Required}",
        _ => $"{Field}: {Actual} >= {Required}",
    };
}

/// <summary>A rule judged: whether all its conditions hold, each condition's check, and the benefits it won.</summary>
public sealed record RuleOutcome(TermsRuleInput Rule, bool Applies, IReadOnlyList<ConditionCheck> Checks, IReadOnlyList<Benefit> Gave);

/// <summary>The terms decided: each benefit's value and the rule that gave it (none when no applicable rule sets it).</summary>
public sealed record TermsDecision(IReadOnlyDictionary<Benefit, (object Value, TermsRuleInput From)> Benefits, IReadOnlyList<RuleOutcome> Rules)
{
    public T? Value<T>(Benefit b) where T : struct => Benefits.TryGetValue(b, out var v) ? (T)v.Value : null;

    public TermsRuleInput? From(Benefit b) => Benefits.TryGetValue(b, out var v) ? v.From : null;
}

/// <summary>A benefit that would differ if the account were in another tier, all else equal.</summary>
public sealed record BenefitChange(Benefit Benefit, object? From, object? To, string? ToRule);

/// <summary>
/// 销售政策 decided: for each benefit, among the rules in force whose conditions all hold, the highest priority that sets it wins;
/// at equal priority the newest (the version created last). Pure: the rules and figures come in, the decision goes out.
/// </summary>
public static class SalesTerms
{
    /// <summary>Tiers from the top down (English keys, as the accounts' tiers).</summary>
    public static readonly IReadOnlyList<string> TiersTopDown = ["Key", "Major", "Ordinary", "Small"];

    public static readonly IReadOnlyList<Benefit> AllBenefits = Enum.GetValues<Benefit>();

    public static IReadOnlyList<ConditionCheck> Check(TermsConditions c, TermsSubject s)
    {
        var f = s.Figures;
        var checks = new List<ConditionCheck>();
        if (c.Tiers is { Count: > 0 } tiers)
            checks.Add(new("tiers", string.Join(", ", tiers), s.Tier, tiers.Contains(s.Tier, StringComparer.OrdinalIgnoreCase)));
        if (c.AccountTypes is { Count: > 0 } types)
            checks.Add(new("accountTypes", string.Join(", ", types), s.AccountType, types.Contains(s.AccountType, StringComparer.OrdinalIgnoreCase)));
        if (c.MinRevenue12m is { } rev) checks.Add(new("minRevenue12m", Money(rev), Money(f.Revenue12m), f.Revenue12m >= rev));
        if (c.MinContracts12m is { } n) checks.Add(new("minContracts12m", Int(n), Int(f.Contracts12m), f.Contracts12m >= n));
        if (c.MinCollectionRate is { } rate) checks.Add(new("minCollectionRate", Rate(rate), Rate(f.CollectionRate), f.CollectionRate >= rate));
        if (c.MaxQualityLoss12m is { } loss) checks.Add(new("maxQualityLoss12m", Money(loss), Money(f.QualityLoss12m), f.QualityLoss12m <= loss));
        if (c.MinActiveMonths12m is { } m) checks.Add(new("minActiveMonths12m", Int(m), Int(f.ActiveMonths12m), f.ActiveMonths12m >= m));
        if (c.MinAverageUnitPrice12m is { } p) checks.Add(new("minAverageUnitPrice12m", Money(p), Money(f.AverageUnitPrice12m), f.AverageUnitPrice12m >= p));
        return checks;
    }

    /// <summary>Decides the terms of <paramref name="subject"/> under <paramref name="rules"/> (the versions in force on the day).</summary>
    public static TermsDecision Decide(IReadOnlyList<TermsRuleInput> rules, TermsSubject subject)
    {
        var judged = rules.Select(r => (Rule: r, Checks: Check(r.Conditions, subject)))
            .Select(x => (x.Rule, x.Checks, Applies: x.Checks.All(c => c.Holds)))
            .OrderByDescending(x => x.Rule.Priority).ThenByDescending(x => x.Rule.VersionId)
            .ToList();
        var won = new Dictionary<Benefit, (object, TermsRuleInput)>();
        foreach (var b in AllBenefits)
            foreach (var x in judged)
                if (x.Applies && x.Rule.Benefits.Get(b) is { } v)
                {
                    won[b] = (v, x.Rule);
                    break;
                }
        var outcomes = judged.Select(x => new RuleOutcome(x.Rule, x.Applies, x.Checks,
            [.. AllBenefits.Where(b => won.TryGetValue(b, out var w) && ReferenceEquals(w.Item2, x.Rule))])).ToList();
        return new TermsDecision(won, outcomes);
    }

    /// <summary>The tier above (+1) or below (−1) <paramref name="tier"/>, or null at the top or bottom.</summary>
    public static string? NeighbourTier(string tier, int step)
    {
        var i = TiersTopDown.ToList().FindIndex(t => string.Equals(t, tier, StringComparison.OrdinalIgnoreCase));
        var j = i - step;
        return i < 0 || j < 0 || j >= TiersTopDown.Count ? null : TiersTopDown[j];
    }

    /// <summary>What would change were the account in <paramref name="tier"/>, its figures unchanged.</summary>
    public static IReadOnlyList<BenefitChange> ChangesAt(IReadOnlyList<TermsRuleInput> rules, TermsSubject subject, TermsDecision now, string tier)
    {
        var then = Decide(rules, subject with { Tier = tier });
        var changes = new List<BenefitChange>();
        foreach (var b in AllBenefits)
        {
            var a = now.Benefits.TryGetValue(b, out var x) ? x.Value : null;
            var z = then.Benefits.TryGetValue(b, out var y) ? y.Value : null;
            if (!Equals(a, z)) changes.Add(new BenefitChange(b, a, z, then.From(b)?.Name));
        }
        return changes;
    }

    /// <summary>The field name of a benefit in the API (camelCase).</summary>
    public static string FieldOf(Benefit b) => b switch
    {
        Benefit.LeadershipVisitsPerYear => "visitsPerYear.Leadership",
        Benefit.TechnicalVisitsPerYear => "visitsPerYear.Technical",
        Benefit.BusinessVisitsPerYear => "visitsPerYear.Business",
        _ => char.ToLowerInvariant(b.ToString()[0]) + b.ToString()[1..],
    };

    /// <summary>The collection rate as the evaluation computes it: paid over due, at most 1, 1 when nothing fell due; four decimals.</summary>
    public static decimal CollectionRate(decimal due, decimal paid) => due > 0 ? Math.Round(Math.Min(1m, paid / due), 4) : 1m;

    /// <summary>The trailing twelve months before <paramref name="on"/>: from the same day a year earlier to the day before.</summary>
    public static (DateOnly Start, DateOnly End) Trailing12Months(DateOnly on) => (on.AddMonths(-12), on.AddDays(-1));

    private static string Money(decimal d) => d.ToString("0.00", CultureInfo.InvariantCulture);
    private static string Rate(decimal d) => d.ToString("0.####", CultureInfo.InvariantCulture);
    private static string Int(int i) => i.ToString(CultureInfo.InvariantCulture);
}
