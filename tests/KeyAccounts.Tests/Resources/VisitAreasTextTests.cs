using System.Globalization;
using System.Text.RegularExpressions;
using KeyAccounts.Analytics;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Calendar;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Visits;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace KeyAccounts.Tests.Resources;

/// <summary>
/// Visits, tasks, follow-ups and the calendar each read their own strings, found by the marker type's full name. A page
/// whose key is missing from its area's resources shows the raw key: in Chinese the English text, and in both cultures
/// the enum keys ("Level.Technical").
/// </summary>
[Collection(AppCollection.Name)]
public sealed class VisitAreasTextTests(TestApp app)
{
    private static readonly Dictionary<string, string[]> EnumKeys = new()
    {
        ["Level"] = Enum.GetNames<VisitLevel>(),
        ["LevelShort"] = Enum.GetNames<VisitLevel>(),
        ["Status"] = Enum.GetNames<VisitStatus>(),
        ["TaskState"] = Enum.GetNames<TaskState>(),
        ["Method"] = Enum.GetNames<FollowUpMethod>(),
        ["Tier"] = Enum.GetNames<Tier>(),
    };

    public static TheoryData<string> Areas() => ["Visits", "Tasks", "FollowUps", "Calendar"];

    private static Type MarkerOf(string area) => area switch
    {
        "Visits" => typeof(VisitsText),
        "Tasks" => typeof(TasksText),
        "FollowUps" => typeof(FollowUpsText),
        _ => typeof(CalendarText),
    };

    /// <summary>The literal keys and the enum keys (<c>L[$"Level.{x}"]</c>) of the area's pages.</summary>
    private static (List<string> Literal, List<string> Enum) KeysUsedBy(string area)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KeyAccounts.slnx"))) directory = directory.Parent;
        Assert.NotNull(directory);
        var pages = Directory.EnumerateFiles(Path.Combine(directory.FullName, "src", "KeyAccounts", "Features", area), "*.razor")
            .Select(File.ReadAllText).ToList();
        var literal = pages.SelectMany(p => Regex.Matches(p, """L\["((?:[^"\\]|\\.)*)"\]""").Select(m => m.Groups[1].Value)).Distinct().ToList();
        var prefixes = pages.SelectMany(p => Regex.Matches(p, """L\[\$"(\w+)\.\{""").Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.All(prefixes, p => Assert.True(EnumKeys.ContainsKey(p), $"unknown enum key prefix {p}"));
        return (literal, [.. prefixes.SelectMany(p => EnumKeys[p].Select(n => $"{p}.{n}"))]);
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void Lookup_EveryKeyOfTheAreasPages_FoundInItsOwnResources(string area)
    {
        var (literal, enumKeys) = KeysUsedBy(area);
        Assert.NotEmpty(literal);
        var localizer = app.Services.GetRequiredService<IStringLocalizerFactory>().Create(MarkerOf(area));
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            var rawInChinese = literal.Concat(enumKeys).Where(k => localizer[k].ResourceNotFound || localizer[k].Value == k).ToList();
            Assert.Empty(rawInChinese);
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            var rawInEnglish = enumKeys.Where(k => localizer[k].ResourceNotFound).ToList();
            Assert.Empty(rawInEnglish);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
