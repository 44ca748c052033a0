using System.Globalization;
using System.Text;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Evaluation;

namespace KeyAccounts.Tests.Features.Evaluation;

public sealed class RunCriteriaTests
{
    private static readonly RunCriteria Criteria = new([
        new Criterion("SalesRevenue", "Revenue", CriterionSource.SalesRevenue, Direction.HigherIsBetter, Normalization.PercentileRank, 0.6m),
        new Criterion("IndustryInfluence", "Influence", CriterionSource.Judged, Direction.HigherIsBetter, Normalization.Points, 0.4m),
    ]);

    [Fact]
    public void WriteThenRead_KeepsRawValuesExactly_PointsToFourPlaces_NamesAndWeightsFromTheModel()
    {
        var text = new StringBuilder();
        double[] points = [33.333333333, 70];
        decimal[] contributions = [Scoring.Contribution(points[0], 0.6m), Scoring.Contribution(points[1], 0.4m)];
        RunCriteria.Write(text, [1234567.8912345678, 1e-7], points, contributions);

        var factors = Criteria.Factors(text.ToString());

        Assert.Equal(new FactorScore("SalesRevenue", 1234567.8912345678, 33.3333, 0.6m, 20m), factors[0]);
        Assert.Equal(new FactorScore("IndustryInfluence", 1e-7, 70, 0.4m, 28m), factors[1]);
        Assert.Equal(48m, factors.Sum(f => f.Contribution));
    }

    [Fact]
    public void Write_IgnoresTheThreadCulture()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var text = new StringBuilder();
            RunCriteria.Write(text, [1.5, 2.25], [10.5, 20.25], [6.3m, 8.1m]);
            Assert.Equal("1.5 10.5 6.3 2.25 20.25 8.1", text.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Points_ReadsOneCriterion() =>
        Assert.Equal(20.25, RunCriteria.Points("1.5 10.5 6.3 2.25 20.25 8.1", 1));

    [Fact]
    public void Factors_FromTheMigratedJsonForm_ReadTheSame() =>
        Assert.Equal(0.00001, Criteria.Factors("1.0e-05 0 0 0.9167 80 10.000")[0].RawValue);
}
