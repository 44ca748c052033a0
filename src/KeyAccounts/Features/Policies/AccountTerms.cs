using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Policies;

/// <summary>
/// API.md <c>GET /api/v1/accounts/{id}/terms</c>: the terms in force for an account on a day. Each benefit is null when no applicable
/// policy sets it. Beyond the contract: the visits per year per level, the figures the conditions were judged on, which rule gave
/// each benefit, and what would change at the next tier up or down.
/// </summary>
public sealed record AccountTerms(decimal? DiscountPercent, int? PaymentTermDays, decimal? CreditLimit,
    decimal? CommissionRate, decimal? ExpenseBudget, IReadOnlyList<TermsRule> Rules)
{
    public DateOnly On { get; init; }
    public string? Tier { get; init; }
    public VisitsPerYear? VisitsPerYear { get; init; }
    public TermsFigures? Figures { get; init; }

    /// <summary>Benefit field name (as in the policy's benefits) → the policy that gave it.</summary>
    public IReadOnlyDictionary<string, long> GivenBy { get; init; } = new Dictionary<string, long>();

    /// <summary>The policies in force that day whose conditions do not all hold, with the condition that failed.</summary>
    public IReadOnlyList<TermsRule> NotMet { get; init; } = [];
    public TierChange? TierUp { get; init; }
    public TierChange? TierDown { get; init; }
}

/// <summary>A policy that applies: the conditions it met, as text (English, for the API) and as checks with the figures.</summary>
public sealed record TermsRule(long PolicyId, string Name, IReadOnlyList<string> Met)
{
    public long VersionId { get; init; }
    public int Priority { get; init; }

    /// <summary>The benefit fields this rule won.</summary>
    public IReadOnlyList<string> Gave { get; init; } = [];
    public IReadOnlyList<ConditionCheck> Checks { get; init; } = [];
}

/// <summary>Visits per year set by a policy, per level; null where no policy sets the level (the tier table then applies).</summary>
public sealed record VisitsPerYear(int? Leadership, int? Technical, int? Business);

/// <summary>The benefits that would differ were the account in <see cref="Tier"/>, its figures unchanged.</summary>
public sealed record TierChange(string Tier, IReadOnlyList<TermsChange> Changes);

public sealed record TermsChange(string Benefit, object? From, object? To, string? Rule);

public static class AccountTermsQueries
{
    /// <summary>The terms of the account on <paramref name="on"/>, for any caller (access is the endpoint's concern). Unknown account: no terms.</summary>
    public static async Task<AccountTerms> TermsOnAsync(this AppDb db, long accountId, DateOnly on, CancellationToken ct = default)
    {
        var rules = await RulesInForceAsync(db, on, ct);
        var today = DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime);
        var row = (await TermsFiguresQuery.ReadAsync(db, "a.\"Id\" = @id", c => TermsFiguresQuery.Add(c, "id", accountId), on, today, ct)).FirstOrDefault();
        if (row is null) return new AccountTerms(null, null, null, null, null, []) { On = on };
        return Build(rules, new TermsSubject(row.Tier, row.Type, row.Figures), on);
    }

    /// <summary>The policy versions in force on <paramref name="on"/>, as rules for <see cref="SalesTerms.Decide"/>.</summary>
    public static async Task<List<TermsRuleInput>> RulesInForceAsync(AppDb db, DateOnly on, CancellationToken ct) =>
        (await db.SalesPolicyVersions.AsNoTracking()
            .Where(v => v.ValidFrom <= on && (v.ValidTo == null || v.ValidTo >= on))
            .Join(db.SalesPolicies, v => v.PolicyId, p => p.Id, (v, p) => new { v, p.Name })
            .ToListAsync(ct))
        .Select(x => x.v.ToRule(x.Name)).ToList();

    public static AccountTerms Build(IReadOnlyList<TermsRuleInput> rules, TermsSubject subject, DateOnly on)
    {
        var d = SalesTerms.Decide(rules, subject);
        TermsRule Rule(RuleOutcome o) => new(o.Rule.PolicyId, o.Rule.Name, [.. o.Checks.Where(c => c.Holds).Select(c => c.Text)])
        {
            VersionId = o.Rule.VersionId,
            Priority = o.Rule.Priority,
            Gave = [.. o.Gave.Select(SalesTerms.FieldOf)],
            Checks = o.Checks,
        };
        TierChange? Change(int step) => SalesTerms.NeighbourTier(subject.Tier, step) is { } t
            ? new TierChange(t, [.. SalesTerms.ChangesAt(rules, subject, d, t).Select(c => new TermsChange(SalesTerms.FieldOf(c.Benefit), c.From, c.To, c.ToRule))])
            : null;
        var visits = d.Value<int>(Benefit.LeadershipVisitsPerYear) is null && d.Value<int>(Benefit.TechnicalVisitsPerYear) is null && d.Value<int>(Benefit.BusinessVisitsPerYear) is null
            ? null
            : new VisitsPerYear(d.Value<int>(Benefit.LeadershipVisitsPerYear), d.Value<int>(Benefit.TechnicalVisitsPerYear), d.Value<int>(Benefit.BusinessVisitsPerYear));
        return new AccountTerms(d.Value<decimal>(Benefit.DiscountPercent), d.Value<int>(Benefit.PaymentTermDays), d.Value<decimal>(Benefit.CreditLimit),
            d.Value<decimal>(Benefit.CommissionRate), d.Value<decimal>(Benefit.ExpenseBudget), [.. d.Rules.Where(o => o.Applies).Select(Rule)])
        {
            On = on,
            Tier = subject.Tier,
            VisitsPerYear = visits,
            Figures = subject.Figures,
            GivenBy = d.Benefits.ToDictionary(b => SalesTerms.FieldOf(b.Key), b => b.Value.From.PolicyId),
            NotMet = [.. d.Rules.Where(o => !o.Applies).Select(Rule)],
            TierUp = Change(1),
            TierDown = Change(-1),
        };
    }

    /// <summary>
    /// The visits per year that policies set for the accounts of <paramref name="tier"/> on <paramref name="on"/>, with the name of the
    /// policy that set each level; accounts no policy sets visits for are left out. Nothing is read beyond the policies when none sets visits.
    /// </summary>
    public static async Task<Dictionary<long, (int?[] PerYear, string?[] By)>> VisitOverridesAsync(AppDb db, Tier tier, DateOnly on, CancellationToken ct)
    {
        var result = new Dictionary<long, (int?[], string?[])>();
        var rules = (await RulesInForceAsync(db, on, ct)).Where(r => r.Benefits.SetsVisits).ToList();
        if (rules.Count == 0) return result;
        var today = DateOnly.FromDateTime(db.Clock.GetUtcNow().UtcDateTime);
        var rows = await TermsFiguresQuery.ReadAsync(db, "a.\"Tier\" = @tier AND a.\"Status\" <> 'Closed'", c => TermsFiguresQuery.Add(c, "tier", tier.ToString()), on, today, ct);
        Benefit[] levels = [Benefit.LeadershipVisitsPerYear, Benefit.TechnicalVisitsPerYear, Benefit.BusinessVisitsPerYear];
        foreach (var row in rows)
        {
            var d = SalesTerms.Decide(rules, new TermsSubject(row.Tier, row.Type, row.Figures));
            if (!levels.Any(d.Benefits.ContainsKey)) continue;
            result[row.AccountId] = ([.. levels.Select(l => d.Value<int>(l))], [.. levels.Select(l => d.From(l)?.Name)]);
        }
        return result;
    }
}
