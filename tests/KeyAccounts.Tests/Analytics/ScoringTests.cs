using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class ScoringTests
{
    [Fact]
    public void Normalize_MinMax_ScalesToZeroHundred() =>
        Assert.Equal([0, 25, 100], Scoring.Normalize([10, 20, 50], Normalization.MinMax, Direction.HigherIsBetter));

    [Fact]
    public void Normalize_MinMaxLowerIsBetter_ReversesThePoints() =>
        Assert.Equal([100, 75, 0], Scoring.Normalize([10, 20, 50], Normalization.MinMax, Direction.LowerIsBetter));

    [Fact]
    public void Normalize_MinMaxAllEqual_GivesNeutralFifty() =>
        Assert.Equal([50, 50], Scoring.Normalize([7, 7], Normalization.MinMax, Direction.HigherIsBetter));

    [Fact]
    public void Normalize_PercentileRank_CountsTiesHalf() =>
        Assert.Equal([12.5, 50, 50, 87.5], Scoring.Normalize([1, 5, 5, 9], Normalization.PercentileRank, Direction.HigherIsBetter));

    [Fact]
    public void Normalize_PercentileRankLowerIsBetter_ReversesThePoints() =>
        Assert.Equal([87.5, 12.5, 50, 50], Scoring.Normalize([1, 9, 5, 5], Normalization.PercentileRank, Direction.LowerIsBetter));

    [Fact]
    public void Normalize_Bands_TakesTheHighestBandReached()
    {
        PointBand[] bands = [new(5_000_000, 100), new(1_000_000, 60), new(0, 20)];
        Assert.Equal([100, 60, 20, 0], Scoring.Normalize([6_000_000, 1_000_000, 10, -5], Normalization.Bands, Direction.HigherIsBetter, bands));
    }

    [Fact]
    public void Normalize_BandsForACostCriterion_UseTheAdministratorsPointsAsGiven()
    {
        PointBand[] bands = [new(100_000, 0), new(10_000, 50), new(0, 100)];
        Assert.Equal([100, 50, 0], Scoring.Normalize([0, 20_000, 150_000], Normalization.Bands, Direction.LowerIsBetter, bands));
    }

    [Fact]
    public void Normalize_Points_ClampsJudgedScores() =>
        Assert.Equal([0, 70, 100], Scoring.Normalize([-3, 70, 120], Normalization.Points, Direction.HigherIsBetter));

    [Fact]
    public void Total_IsTheSumOfTheRoundedContributions()
    {
        double[] normalized = [33.333333, 66.666666, 99.999999];
        decimal[] weights = [0.177m, 0.496m, 0.327m];
        var contributions = normalized.Select((n, k) => Scoring.Contribution(n, weights[k])).ToArray();
        Assert.Equal(Scoring.Total(weights, normalized), contributions.Sum());
        Assert.Equal([5.9000m, 33.0667m, 32.7000m], contributions);
    }

    [Fact]
    public void Ranks_BestFirst_TiesKeepTheirOrder() =>
        Assert.Equal([3, 1, 4, 2, 5], Scoring.Ranks(Scoring.BestFirst([50m, 90m, 50m, 70m, 10m])));

    [Fact]
    public void AssignTiers_ByCutOffs()
    {
        var tiers = Scoring.AssignTiers([90m, 65m, 35m, 10m], new TierRules(80, 60, 30));
        Assert.Equal([0, 1, 2, 3], tiers);
    }

    [Fact]
    public void AssignTiers_CappedKey_OverflowFallsToNextTierByScore()
    {
        var tiers = Scoring.AssignTiers([85m, 95m, 90m, 50m], new TierRules(80, 60, 30, KeyCap: 2, MajorCap: 0));
        Assert.Equal([2, 0, 0, 2], tiers);
    }

    [Theory]
    [InlineData(null, 0, TierChange.New)]
    [InlineData(1, 0, TierChange.Entered)]
    [InlineData(0, 3, TierChange.Left)]
    [InlineData(3, 1, TierChange.Up)]
    [InlineData(1, 2, TierChange.Down)]
    [InlineData(0, 0, TierChange.Unchanged)]
    public void Classify_AgainstThePublishedTier(int? previous, int current, TierChange expected) =>
        Assert.Equal(expected, Scoring.Classify(previous, current));

    [Fact]
    public void MovedMost_OrdersByAbsoluteChange()
    {
        FactorScore F(string c, decimal v) => new(c, 0, 0, 0, v);
        var moved = Scoring.MovedMost([F("a", 10), F("b", 2), F("c", 30)], [F("a", 12), F("b", 20), F("c", 29)]);
        Assert.Equal(["b", "a"], moved.Select(m => m.Criterion));
        Assert.Equal(-18m, moved[0].Delta);
    }

    [Fact]
    public void Median_OddAndEven() => Assert.Equal((3.0, 2.5), (Scoring.Median([5, 1, 3]), Scoring.Median([4, 1, 3, 2])));
}
