using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class VisitFrequencyTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-01-01", "2026-12-31", 12.0)]
    [InlineData("2026-01-01", "2026-03-31", 3.0)]
    [InlineData("2026-04-01", "2026-06-30", 3.0)]
    [InlineData("2026-02-01", "2026-02-28", 1.0)]
    [InlineData("2026-01-01", "2026-01-16", 16 / 31.0)]
    public void Months_Period_CountsCalendarMonthsWithPartialMonthsByDays(string start, string end, double expected) =>
        Assert.Equal(expected, VisitFrequency.Months(D(start), D(end)), 9);

    [Theory]
    // Key accounts: leadership 2/year, technical 4/year, business 12/year.
    [InlineData(2, "2026-01-01", "2026-12-31", 2)]
    [InlineData(2, "2026-01-01", "2026-03-31", 1)] // half a visit in a quarter rounds up
    [InlineData(2, "2026-04-01", "2026-06-30", 1)]
    [InlineData(2, "2026-05-01", "2026-05-31", 0)]
    [InlineData(4, "2026-07-01", "2026-09-30", 1)]
    [InlineData(4, "2026-01-01", "2026-06-30", 2)]
    [InlineData(12, "2026-10-01", "2026-12-31", 3)]
    [InlineData(12, "2026-11-01", "2026-11-30", 1)]
    [InlineData(12, "2026-11-01", "2026-11-10", 0)]
    [InlineData(0, "2026-01-01", "2026-12-31", 0)]
    [InlineData(6, "2026-12-31", "2026-01-01", 0)] // an inverted period requires nothing
    public void Required_PerYearOverPeriod_IsProRataByMonthsRoundingHalfUp(int perYear, string start, string end, int expected) =>
        Assert.Equal(expected, VisitFrequency.Required(perYear, D(start), D(end)));

    [Fact]
    public void Default_Tiers_KeyIsVisitedMostAndLowerTiersLess()
    {
        var key = VisitFrequency.Default("Key");
        Assert.Equal((2, 4, 12), (key.LeadershipPerYear, key.TechnicalPerYear, key.BusinessPerYear));
        foreach (var level in VisitFrequency.Levels)
        {
            Assert.True(VisitFrequency.Default("Key").PerYear(level) >= VisitFrequency.Default("Major").PerYear(level));
            Assert.True(VisitFrequency.Default("Major").PerYear(level) >= VisitFrequency.Default("Ordinary").PerYear(level));
            Assert.True(VisitFrequency.Default("Ordinary").PerYear(level) >= VisitFrequency.Default("Small").PerYear(level));
        }
        Assert.True(VisitFrequency.Default("Key").EscalateAfterDays < VisitFrequency.Default("Small").EscalateAfterDays);
    }

    [Theory]
    [InlineData("2026-11-21", "2026-11-22", true)]
    [InlineData("2026-11-22", "2026-11-22", false)] // due today is not yet overdue
    [InlineData("2026-11-23", "2026-11-22", false)]
    public void IsOverdue_DueDayBeforeToday_IsOverdue(string due, string today, bool expected) =>
        Assert.Equal(expected, VisitFrequency.IsOverdue(D(due), D(today)));

    [Theory]
    [InlineData("2026-10-01", "2026-01-01", "2026-11-01", 30, 31, true)]
    [InlineData("2026-10-02", "2026-01-01", "2026-11-01", 30, 30, false)] // exactly N days is still within the rule
    [InlineData(null, "2026-09-01", "2026-11-01", 90, 61, false)] // never followed up: counted from when the account was taken on
    [InlineData(null, "2026-01-01", "2026-11-01", 90, 304, true)]
    [InlineData("2025-01-01", "2024-01-01", "2026-11-01", 0, 669, false)] // a threshold of 0 turns escalation off
    public void ShouldEscalate_SilenceLongerThanThreshold_Escalates(string? last, string since, string today, int threshold, int days, bool expected)
    {
        var silent = VisitFrequency.DaysWithoutFollowUp(last is null ? null : D(last), D(since), D(today));
        Assert.Equal(days, silent);
        Assert.Equal(expected, VisitFrequency.ShouldEscalate(silent, threshold));
    }

    [Fact]
    public void QuarterOf_Day_GivesItsCalendarQuarter()
    {
        Assert.Equal((D("2026-10-01"), D("2026-12-31")), VisitFrequency.QuarterOf(D("2026-11-22")));
        Assert.Equal((D("2026-01-01"), D("2026-03-31")), VisitFrequency.QuarterOf(D("2026-03-31")));
    }
}
