using KeyAccounts.Features.Accounts;

namespace KeyAccounts.Features.Complaints;

/// <summary>Response deadlines and the status flow of a complaint.</summary>
public static class ComplaintRules
{
    /// <summary>Hours to resolve, by severity (rows) and tier (columns Key, Major, Ordinary, Small), until the administrator changes them.</summary>
    private static readonly Dictionary<ComplaintSeverity, int[]> Defaults = new()
    {
        [ComplaintSeverity.Critical] = [4, 8, 12, 24],
        [ComplaintSeverity.High] = [12, 24, 36, 48],
        [ComplaintSeverity.Medium] = [24, 48, 72, 96],
        [ComplaintSeverity.Low] = [72, 96, 120, 168],
    };

    public static int DefaultHours(ComplaintSeverity severity, Tier tier) => Defaults[severity][(int)tier];

    public static DateTime DueAt(DateTime from, int hours) => from.AddHours(hours);

    public const int MinHours = 1;
    public const int MaxHours = 24 * 90;

    public const string SlowerThanLessSevere = "A more severe complaint cannot have a longer deadline than a less severe one for the same tier.";
    public const string SlowerThanLesserTier = "A more important tier cannot have a longer deadline than a less important one for the same severity.";

    /// <summary>
    /// The cells of a deadline table that break its order: a more severe complaint must not wait longer than a less severe one at
    /// the same tier, and a more important account (Key before Major before Ordinary before Small) must not wait longer than a
    /// less important one for the same severity. Equal hours are fine.
    /// </summary>
    public static IEnumerable<(ComplaintSeverity Severity, Tier Tier, string Problem)> OrderProblems(Func<ComplaintSeverity, Tier, int> hours)
    {
        var severities = Enum.GetValues<ComplaintSeverity>();
        var tiers = Enum.GetValues<Tier>();
        foreach (var t in tiers)
            for (var i = 1; i < severities.Length; i++)
                if (hours(severities[i], t) > hours(severities[i - 1], t))
                    yield return (severities[i], t, SlowerThanLessSevere);
        foreach (var s in severities)
            for (var i = 0; i < tiers.Length - 1; i++)
                if (hours(s, tiers[i]) > hours(s, tiers[i + 1]))
                    yield return (s, tiers[i], SlowerThanLesserTier);
    }

    private static readonly Dictionary<ComplaintStatus, ComplaintStatus[]> Next = new()
    {
        [ComplaintStatus.New] = [ComplaintStatus.Acknowledged],
        [ComplaintStatus.Acknowledged] = [ComplaintStatus.Investigating],
        [ComplaintStatus.Investigating] = [ComplaintStatus.Resolved],
        [ComplaintStatus.Resolved] = [ComplaintStatus.Confirmed, ComplaintStatus.Reopened],
        [ComplaintStatus.Confirmed] = [],
        [ComplaintStatus.Reopened] = [ComplaintStatus.Investigating],
    };

    public static IReadOnlyList<ComplaintStatus> AllowedAfter(ComplaintStatus status) => Next[status];

    public static bool CanMove(ComplaintStatus from, ComplaintStatus to) => Next[from].Contains(to);
}
