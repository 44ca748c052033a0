using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class SalesTermsTests
{
    private static readonly TermsSubject Major = new("Major", "Customer", new TermsFigures(1000m, 2, 0.9m, 0m, 2, 100m));

    private static TermsRuleInput Rule(long version, int priority, TermsConditions? c = null, TermsBenefits? b = null) =>
        new(version, version, $"r{version}", priority, c ?? new TermsConditions(), b ?? new TermsBenefits());

    [Fact]
    public void Decide_EqualPriority_NewestVersionWinsEachBenefitOnItsOwn()
    {
        var d = SalesTerms.Decide([Rule(1, 5, b: new(DiscountPercent: 5, PaymentTermDays: 30)), Rule(2, 5, b: new(DiscountPercent: 7)), Rule(3, 1, b: new(CreditLimit: 9))], Major);
        Assert.Equal((7m, 2L), (d.Value<decimal>(Benefit.DiscountPercent)!.Value, d.From(Benefit.DiscountPercent)!.VersionId));
        Assert.Equal((30, 1L), (d.Value<int>(Benefit.PaymentTermDays)!.Value, d.From(Benefit.PaymentTermDays)!.VersionId));
        Assert.Equal(9m, d.Value<decimal>(Benefit.CreditLimit));
        Assert.Null(d.Value<decimal>(Benefit.CommissionRate));
    }

    [Fact]
    public void Decide_ConditionNotMet_RuleGivesNothingAndIsReportedWithTheFailedCheck()
    {
        var d = SalesTerms.Decide([Rule(1, 9, new(MinRevenue12m: 1000.01m), new(DiscountPercent: 8))], Major);
        Assert.Null(d.Value<decimal>(Benefit.DiscountPercent));
        var check = Assert.Single(d.Rules.Single().Checks);
        Assert.Equal(("minRevenue12m", false), (check.Field, check.Holds));
    }

    [Fact]
    public void ChangesAt_TierUp_NamesTheBenefitThatWouldChange()
    {
        IReadOnlyList<TermsRuleInput> rules = [Rule(1, 1, new(Tiers: ["Key"]), new(CommissionRate: 0.03m)), Rule(2, 0, b: new(CommissionRate: 0.01m))];
        var now = SalesTerms.Decide(rules, Major);
        var up = SalesTerms.ChangesAt(rules, Major, now, SalesTerms.NeighbourTier("Major", 1)!);
        Assert.Equal((Benefit.CommissionRate, (object?)0.01m, (object?)0.03m), (up.Single().Benefit, up.Single().From, up.Single().To));
        Assert.Null(SalesTerms.NeighbourTier("Key", 1));
        Assert.Null(SalesTerms.NeighbourTier("Small", -1));
    }
}
