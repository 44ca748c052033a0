using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class AhpTests
{
    /// <summary>Saaty (2008), drink consumption in the USA: coffee, wine, tea, beer, soda, milk, water.</summary>
    public static readonly double[][] Drinks =
    [
        [1, 9, 5, 2, 1, 1, 1 / 2.0],
        [1 / 9.0, 1, 1 / 3.0, 1 / 9.0, 1 / 9.0, 1 / 9.0, 1 / 9.0],
        [1 / 5.0, 3, 1, 1 / 3.0, 1 / 4.0, 1 / 3.0, 1 / 9.0],
        [1 / 2.0, 9, 3, 1, 1 / 2.0, 1, 1 / 3.0],
        [1, 9, 4, 2, 1, 2, 1 / 2.0],
        [1, 9, 3, 1, 1 / 2.0, 1, 1 / 3.0],
        [2, 9, 9, 3, 2, 3, 1],
    ];

    [Fact]
    public void Compute_SaatyDrinkExample_ReproducesPublishedFigures()
    {
        Assert.Empty(Ahp.Validate(Drinks));
        var r = Ahp.Compute(Drinks);
        Assert.Equal([0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327], r.Weights.Select(w => Math.Round(w, 3)));
        Assert.Equal(7.18, r.LambdaMax, 2);
        Assert.Equal(0.022, r.ConsistencyRatio, 3);
        Assert.True(r.IsConsistent);
        Assert.Equal(1.0, r.Weights.Sum(), 9);
    }

    [Fact]
    public void Compute_PerfectlyConsistentMatrix_HasZeroRatioAndNoInconsistentJudgements()
    {
        double[][] m = [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]];
        var r = Ahp.Compute(m);
        Assert.Equal(4 / 7.0, r.Weights[0], 9);
        Assert.Equal(3, r.LambdaMax, 9);
        Assert.Equal(0, r.ConsistencyRatio, 9);
        Assert.Empty(r.MostInconsistent);
    }

    [Fact]
    public void Compute_CircularJudgements_IsInconsistentAndNamesTheWorstJudgement()
    {
        // A > B, B > C, but C much greater than A: no weights can agree with that.
        double[][] m = [[1, 5, 1 / 7.0], [1 / 5.0, 1, 5], [7, 1 / 5.0, 1]];
        var r = Ahp.Compute(m);
        Assert.False(r.IsConsistent);
        Assert.True(r.ConsistencyRatio > 1);
        Assert.NotEmpty(r.MostInconsistent);
        Assert.True(r.MostInconsistent[0].Deviation >= r.MostInconsistent[^1].Deviation);
    }

    [Fact]
    public void Compute_OneBadJudgementInConsistentMatrix_PointsAtThatCell()
    {
        double[][] m =
        [
            [1, 2, 4, 8],
            [0.5, 1, 2, 4],
            [0.25, 0.5, 1, 1 / 9.0],
            [0.125, 0.25, 9, 1],
        ];
        var r = Ahp.Compute(m);
        Assert.False(r.IsConsistent);
        var worst = r.MostInconsistent[0];
        Assert.Equal((2, 3), (worst.Row, worst.Column));
    }

    [Fact]
    public void Validate_NotSquare_NamesTheRow()
    {
        var e = Assert.Single(Ahp.Validate([[1, 2], [0.5]]));
        Assert.Equal(1, e.Row);
        Assert.Contains("Row 2", e.Message);
    }

    [Fact]
    public void Validate_ZeroAndNegative_NameEachCell()
    {
        var errors = Ahp.Validate([[1, 0, 2], [3, 1, 1], [-0.5, 1, 1]]);
        Assert.Contains(errors, e => e.Row == 0 && e.Column == 1);
        Assert.Contains(errors, e => e.Row == 2 && e.Column == 0 && e.Message.Contains("(3,1)"));
    }

    [Fact]
    public void Validate_NotReciprocal_NamesTheLowerCell()
    {
        var e = Assert.Single(Ahp.Validate([[1, 3], [3, 1]]));
        Assert.Equal((1, 0), (e.Row, e.Column));
        Assert.Contains("reciprocal", e.Message);
    }

    [Fact]
    public void Validate_RoundedFractions_AreAccepted() =>
        Assert.Empty(Ahp.Validate([[1, 3, 7], [0.33, 1, 3], [0.14, 0.33, 1]]));
}
