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
