namespace KeyAccounts.Analytics;

/// <summary>The three levels at which a key account is visited (三级访问): leadership, technical, business.</summary>
public enum VisitLevel { Leadership, Technical, Business }

/// <summary>How often one tier must be visited at each level, per year, and after how many days without a follow-up the owner's manager hears of it.</summary>
public sealed record VisitRequirement(int LeadershipPerYear, int TechnicalPerYear, int BusinessPerYear, int EscalateAfterDays)
{
    public int PerYear(VisitLevel level) => level switch
    {
        VisitLevel.Leadership => LeadershipPerYear,
        VisitLevel.Technical => TechnicalPerYear,
        _ => BusinessPerYear,
    };
}

/// <summary>Required visit counts over a period and the overdue rules for plans, tasks and follow-ups.</summary>
public static class VisitFrequency
{
    public static readonly IReadOnlyList<VisitLevel> Levels = [VisitLevel.Leadership, VisitLevel.Technical, VisitLevel.Business];

    /// <summary>Defaults by tier name (Key, Major, Ordinary, Small) until the administrator changes them.</summary>
    public static VisitRequirement Default(string tier) => tier switch
    {
        "Key" => new(2, 4, 12, 30),
        "Major" => new(1, 2, 6, 45),
        "Ordinary" => new(0, 1, 4, 90),
        _ => new(0, 0, 2, 180),
    };

    /// <summary>
    /// Calendar months covered by the period, a partly covered month counting by its share of days: a quarter is exactly 3
    /// whichever quarter it is, so requirements do not wobble with month lengths.
    /// </summary>
    public static double Months(DateOnly start, DateOnly end)
    {
        if (end < start) return 0;
        double months = 0;
        var cursor = start;
        while (cursor <= end)
        {
            var monthEnd = new DateOnly(cursor.Year, cursor.Month, DateTime.DaysInMonth(cursor.Year, cursor.Month));
            var last = monthEnd < end ? monthEnd : end;
            months += (last.DayNumber - cursor.DayNumber + 1) / (double)DateTime.DaysInMonth(cursor.Year, cursor.Month);
            cursor = monthEnd.AddDays(1);
        }
        return months;
    }

    /// <summary>Visits required in the period: the yearly number pro rata by months, half a visit or more rounding up.</summary>
    public static int Required(int perYear, DateOnly start, DateOnly end)
    {
        if (perYear <= 0) return 0;
        var exact = perYear * Months(start, end) / 12;
        // The tolerance keeps 2 × 3/12 = 0.5 a half even when the month shares add up to 2.9999999.
        return (int)Math.Floor(exact + 0.5 + 1e-9);
    }

    /// <summary>A planned visit is overdue once its day has passed without a record; a task once its due day has passed while open.</summary>
    public static bool IsOverdue(DateOnly dueOn, DateOnly today) => dueOn < today;

    /// <summary>Days since the last follow-up (or since the account was taken on, when never followed up).</summary>
    public static int DaysWithoutFollowUp(DateOnly? lastFollowUp, DateOnly accountSince, DateOnly today) =>
        today.DayNumber - (lastFollowUp ?? accountSince).DayNumber;

    /// <summary>Escalate when the silence is longer than the tier allows; a threshold of 0 turns escalation off.</summary>
    public static bool ShouldEscalate(int daysWithoutFollowUp, int escalateAfterDays) =>
        escalateAfterDays > 0 && daysWithoutFollowUp > escalateAfterDays;

    /// <summary>The period "this quarter" around a day, the coverage board's default.</summary>
    public static (DateOnly Start, DateOnly End) QuarterOf(DateOnly day)
    {
        var first = new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1);
        return (first, first.AddMonths(3).AddDays(-1));
    }
}
