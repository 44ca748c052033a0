using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Complaints;

namespace KeyAccounts.Tests.Features.Complaints;

public sealed class ComplaintRulesTests
{
    [Theory]
    [InlineData(ComplaintSeverity.Critical, Tier.Key, 4)]
    [InlineData(ComplaintSeverity.Critical, Tier.Small, 24)]
    [InlineData(ComplaintSeverity.Low, Tier.Key, 72)]
    [InlineData(ComplaintSeverity.Medium, Tier.Major, 48)]
    public void DefaultHours_SeverityAndTier_TighterForWorseAndBigger(ComplaintSeverity severity, Tier tier, int hours)
    {
        Assert.Equal(hours, ComplaintRules.DefaultHours(severity, tier));
        Assert.Equal(new DateTime(2025, 3, 1, 8 + hours % 24, 0, 0).AddDays(hours / 24), ComplaintRules.DueAt(new DateTime(2025, 3, 1, 8, 0, 0), hours));
    }

    [Fact]
    public void DefaultHours_EveryCell_MoreSevereNeverSlower()
    {
        foreach (var tier in Enum.GetValues<Tier>())
            for (var s = ComplaintSeverity.Low; s < ComplaintSeverity.Critical; s++)
                Assert.True(ComplaintRules.DefaultHours(s + 1, tier) <= ComplaintRules.DefaultHours(s, tier));
    }

    [Fact]
    public void OrderProblems_DefaultTable_None() => Assert.Empty(ComplaintRules.OrderProblems(ComplaintRules.DefaultHours));

    [Fact]
    public void OrderProblems_MoreSevereSlowerOrMoreImportantTierSlower_NamesTheCell()
    {
        int CriticalSlow(ComplaintSeverity s, Tier t) => s == ComplaintSeverity.High && t == Tier.Small ? 100 : ComplaintRules.DefaultHours(s, t);
        int KeySlow(ComplaintSeverity s, Tier t) => s == ComplaintSeverity.Medium && t == Tier.Key ? 60 : ComplaintRules.DefaultHours(s, t);
        int Equal(ComplaintSeverity s, Tier t) => 24;

        Assert.Equal([(ComplaintSeverity.High, Tier.Small, ComplaintRules.SlowerThanLessSevere)], ComplaintRules.OrderProblems(CriticalSlow).ToList());
        Assert.Equal([(ComplaintSeverity.Medium, Tier.Key, ComplaintRules.SlowerThanLesserTier)], ComplaintRules.OrderProblems(KeySlow).ToList());
        Assert.Empty(ComplaintRules.OrderProblems(Equal));
    }

    [Theory]
    [InlineData(ComplaintStatus.New, ComplaintStatus.Acknowledged, true)]
    [InlineData(ComplaintStatus.New, ComplaintStatus.Resolved, false)]
    [InlineData(ComplaintStatus.Investigating, ComplaintStatus.Resolved, true)]
    [InlineData(ComplaintStatus.Resolved, ComplaintStatus.Confirmed, true)]
    [InlineData(ComplaintStatus.Resolved, ComplaintStatus.Reopened, true)]
    [InlineData(ComplaintStatus.Reopened, ComplaintStatus.Investigating, true)]
    [InlineData(ComplaintStatus.Confirmed, ComplaintStatus.Reopened, false)]
    public void CanMove_StatusFlow_FollowsTheProcess(ComplaintStatus from, ComplaintStatus to, bool allowed) =>
        Assert.Equal(allowed, ComplaintRules.CanMove(from, to));
}
