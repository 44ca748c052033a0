using KeyAccounts.Analytics;

namespace KeyAccounts.Tests.Analytics;

public sealed class CareCalendarTests
{
    [Theory]
    [InlineData(2020, "2020-01-25", "2020-06-25", "2020-10-01")]
    [InlineData(2023, "2023-01-22", "2023-06-22", "2023-09-29")]
    [InlineData(2024, "2024-02-10", "2024-06-10", "2024-09-17")]
    [InlineData(2025, "2025-01-29", "2025-05-31", "2025-10-06")]
    [InlineData(2026, "2026-02-17", "2026-06-19", "2026-09-25")]
    [InlineData(2028, "2028-01-26", "2028-05-28", "2028-10-03")]
    public void FestivalsIn_Year_MatchPublishedCalendar(int year, string spring, string dragonBoat, string midAutumn)
    {
        var festivals = CareCalendar.FestivalsIn(year).ToDictionary(f => f.Key, f => f.Date);

        Assert.Equal(DateOnly.Parse(spring), festivals[Festivals.SpringFestival]);
        Assert.Equal(DateOnly.Parse(dragonBoat), festivals[Festivals.DragonBoat]);
        Assert.Equal(DateOnly.Parse(midAutumn), festivals[Festivals.MidAutumn]);
        Assert.Equal(new DateOnly(year, 10, 1), festivals[Festivals.NationalDay]);
        Assert.Equal(new DateOnly(year, 1, 1), festivals[Festivals.NewYear]);
    }

    [Fact]
    public void FromLunar_YearWithLeapSixthMonth_MidAutumnSkipsTheLeapMonth()
    {
        // 2025 has a leap sixth month (闰六月): the eighth month is the calendar's ninth.
        Assert.Equal(new DateOnly(2025, 10, 6), CareCalendar.FromLunar(2025, 8, 15));
        Assert.Equal(new DateOnly(2025, 5, 31), CareCalendar.FromLunar(2025, 5, 5));
    }

    [Fact]
    public void FestivalsBetween_RangeAcrossNewYear_ListsBothYearsInOrder()
    {
        var list = CareCalendar.FestivalsBetween(new DateOnly(2024, 12, 1), new DateOnly(2025, 2, 1)).ToList();

        Assert.Equal([(new DateOnly(2025, 1, 1), Festivals.NewYear), (new DateOnly(2025, 1, 29), Festivals.SpringFestival)], list);
    }

    [Fact]
    public void Occurrence_LeapDayInCommonYear_FallsOnTheTwentyEighth()
    {
        Assert.Equal(new DateOnly(2025, 2, 28), CareCalendar.Occurrence(229, 2025));
        Assert.Equal(new DateOnly(2028, 2, 29), CareCalendar.Occurrence(229, 2028));
    }

    [Fact]
    public void MonthDaysBetween_WindowOverTheEndOfFebruary_IncludesLeapDayBirthdays()
    {
        var days = CareCalendar.MonthDaysBetween(new DateOnly(2025, 2, 27), new DateOnly(2025, 3, 2));

        Assert.Equal(new DateOnly(2025, 2, 28), days[229]);
        Assert.Equal(new DateOnly(2025, 3, 2), days[302]);
        Assert.Equal(5, days.Count);
    }
}
