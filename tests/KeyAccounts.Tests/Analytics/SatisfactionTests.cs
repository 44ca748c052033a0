using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class SatisfactionTests
{
    [Fact]
    public void NetPromoterScore_MixedAnswers_IsPromotersMinusDetractorsInPercent()
    {
        // 3 promoters (9, 10, 9), 2 passives (7, 8), 5 detractors (0–6): 30 % − 50 % = −20.
        Assert.Equal(-20, Satisfaction.NetPromoterScore([9, 10, 9, 7, 8, 0, 3, 6, 6, 5]));
    }

    [Fact]
    public void NetPromoterScore_AllPromoters_Is100AndNoAnswersIsNull()
    {
        Assert.Equal(100, Satisfaction.NetPromoterScore([9, 10]));
        Assert.Equal(-100, Satisfaction.NetPromoterScore([6]));
        Assert.Null(Satisfaction.NetPromoterScore([]));
    }

    [Fact]
    public void Csat_Answers_IsTheirMean()
    {
        Assert.Equal(4.33, Satisfaction.Csat([4, 4, 5]));
        Assert.Null(Satisfaction.Csat([]));
    }
}
