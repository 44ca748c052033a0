using System.Globalization;

namespace KeyAccounts.Analytics;

public enum CareOccasion { Festival, Birthday, Anniversary }

/// <summary>The fixed-key festivals: the UI translates the key, the API carries it as the title.</summary>
public static class Festivals
{
    public const string SpringFestival = nameof(SpringFestival);
    public const string DragonBoat = nameof(DragonBoat);
    public const string MidAutumn = nameof(MidAutumn);
    public const string NationalDay = nameof(NationalDay);
    public const string NewYear = nameof(NewYear);
}

/// <summary>Care dates: the Chinese festivals of a year and the yearly return of birthdays and anniversaries.</summary>
public static class CareCalendar
{
    private static readonly ChineseLunisolarCalendar Lunar = new();

    /// <summary>The festivals that fall in <paramref name="year"/> (Gregorian), in date order.</summary>
    public static IReadOnlyList<(DateOnly Date, string Key)> FestivalsIn(int year) =>
    [
        (new DateOnly(year, 1, 1), Festivals.NewYear),
        (FromLunar(year, 1, 1), Festivals.SpringFestival),
        (FromLunar(year, 5, 5), Festivals.DragonBoat),
        (FromLunar(year, 8, 15), Festivals.MidAutumn),
        (new DateOnly(year, 10, 1), Festivals.NationalDay),
    ];

    public static IEnumerable<(DateOnly Date, string Key)> FestivalsBetween(DateOnly from, DateOnly to)
    {
        for (var y = from.Year; y <= to.Year; y++)
            foreach (var f in FestivalsIn(y).OrderBy(f => f.Date))
                if (f.Date >= from && f.Date <= to)
                    yield return f;
    }

    /// <summary>
    /// The Gregorian date of lunar <paramref name="month"/>/<paramref name="day"/> in the lunar year that begins in Gregorian
    /// <paramref name="year"/>. In a leap year the calendar numbers the leap month as the month after its namesake, so the
    /// months from the leap one on shift by one (a leap fifth month makes the eighth month the calendar's ninth).
    /// </summary>
    public static DateOnly FromLunar(int year, int month, int day)
    {
        var leap = Lunar.GetLeapMonth(year);
        var index = leap != 0 && month >= leap ? month + 1 : month;
        return DateOnly.FromDateTime(Lunar.ToDateTime(year, index, day, 0, 0, 0, 0));
    }

    /// <summary>MMDD of a date, as stored for birthdays and anniversaries.</summary>
    public static int MonthDay(DateOnly d) => d.Month * 100 + d.Day;

    /// <summary>Where a yearly date (birthday, anniversary) of <paramref name="monthDay"/> falls in <paramref name="year"/>; 29 February falls on the 28th in common years.</summary>
    public static DateOnly Occurrence(int monthDay, int year)
    {
        var month = monthDay / 100;
        var day = monthDay % 100;
        if (month == 2 && day == 29 && !DateTime.IsLeapYear(year)) day = 28;
        return new DateOnly(year, month, day);
    }

    /// <summary>The MMDD codes whose yearly date falls between the two dates (inclusive), with the date each falls on.</summary>
    public static IReadOnlyDictionary<int, DateOnly> MonthDaysBetween(DateOnly from, DateOnly to)
    {
        var result = new Dictionary<int, DateOnly>();
        for (var d = from; d <= to && result.Count < 366; d = d.AddDays(1))
        {
            result.TryAdd(MonthDay(d), d);
            if (d.Month == 2 && d.Day == 28 && !DateTime.IsLeapYear(d.Year)) result.TryAdd(229, d);
        }
        return result;
    }
}
