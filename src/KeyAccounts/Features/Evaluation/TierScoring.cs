using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;

namespace KeyAccounts.Features.Evaluation;

/// <summary>The account tiers as <see cref="Scoring"/>'s tier levels: <see cref="Tier"/> is ordered Key (level 0, the top) … Small.</summary>
public static class TierScoring
{
    public static Tier[] AssignTiers(IReadOnlyList<decimal> scores, TierRules rules, int[]? bestFirst = null) =>
        [.. Scoring.AssignTiers(scores, rules, bestFirst).Select(level => (Tier)level)];

    public static TierChange Classify(Tier? previous, Tier current) => Scoring.Classify((int?)previous, (int)current);
}
