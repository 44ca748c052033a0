using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class ParetoTests
{
    [Fact]
    public void Analyse_TopTwentyPercentShareAndAbc()
    {
        double[] revenue = [800, 50, 50, 40, 30, 10, 10, 5, 3, 2];
        var r = Pareto.Analyse(revenue);
        Assert.Equal(1000, r.Total);
        Assert.Equal(0.85, r.TopTwentyShare, 9);
        Assert.Equal([AbcClass.A, AbcClass.B, AbcClass.B, AbcClass.B, AbcClass.B, AbcClass.C, AbcClass.C, AbcClass.C, AbcClass.C, AbcClass.C], r.Classes);
        Assert.Equal(new ParetoPoint(1, 1), r.Curve[^1]);
        Assert.Equal(new ParetoPoint(0, 0), r.Curve[0]);
    }

    [Fact]
    public void Analyse_NoValue_AllC()
    {
        var r = Pareto.Analyse([0, 0, -5]);
        Assert.All(r.Classes, c => Assert.Equal(AbcClass.C, c));
        Assert.Equal(0, r.TopTwentyShare);
    }

    [Fact]
    public void Quadrant_SplitsValueAndPotential()
    {
        Assert.Equal(PriorityQuadrant.Focus, PriorityMatrix.Quadrant(80, 70));
        Assert.Equal(PriorityQuadrant.Maintain, PriorityMatrix.Quadrant(80, 20));
        Assert.Equal(PriorityQuadrant.Develop, PriorityMatrix.Quadrant(20, 70));
        Assert.Equal(PriorityQuadrant.Monitor, PriorityMatrix.Quadrant(20, 20));
    }

    [Fact]
    public void Potential_MixesGrowthPercentileAndJudgement()
    {
        var p = PriorityMatrix.Potential([PriorityMatrix.Growth(100, 200), PriorityMatrix.Growth(100, 50)], [60, 60]);
        Assert.Equal([67.5, 42.5], p);
    }
}
