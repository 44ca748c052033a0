namespace KeyAccounts.Analytics;

/// <summary>Satisfaction figures: NPS from 0–10 answers, CSAT as the mean of 1–5 answers.</summary>
public static class Satisfaction
{
    public const int CsatMin = 1, CsatMax = 5, NpsMin = 0, NpsMax = 10;

    /// <summary>Net Promoter Score: % promoters (9–10) minus % detractors (0–6), −100 to 100; null without answers.</summary>
    public static double? NetPromoterScore(IReadOnlyCollection<int> scores)
    {
        if (scores.Count == 0) return null;
        var promoters = scores.Count(s => s >= 9);
        var detractors = scores.Count(s => s <= 6);
        return Math.Round(100.0 * (promoters - detractors) / scores.Count, 1);
    }

    public static double? NetPromoterScore(int promoters, int detractors, int answers) =>
        answers == 0 ? null : Math.Round(100.0 * (promoters - detractors) / answers, 1);

    public static double? Csat(IReadOnlyCollection<int> scores) => scores.Count == 0 ? null : Math.Round(scores.Average(), 2);
}
