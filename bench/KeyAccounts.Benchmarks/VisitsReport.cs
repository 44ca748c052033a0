using System.Globalization;
using System.Text;

namespace KeyAccounts.Benchmarks;

/// <summary>The visits section of docs/benchmarks.md, kept between markers so the account run (which rewrites the file) carries it over.</summary>
public static class VisitsReport
{
    private const string Begin = "<!-- visits-scale -->";
    private const string End = "<!-- /visits-scale -->";

    public static void Write(BenchOptions o, IReadOnlyList<VisitsResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine("## Visits: coverage board and calendar");
        md.AppendLine();
        md.AppendLine("Target from issue 4: with 100,000 accounts, 2,000,000 visits and 5,000,000 tasks, the coverage board for 5,000 key");
        md.AppendLine("accounts and a user's calendar month answer in under 200 ms server-side. Measured in process through the same use-case");
        md.AppendLine("functions the API and the pages call (`GetCoverage.LoadAsync`, `GetCalendar.EntriesAsync`): median and max of 20 sequential");
        md.AppendLine("runs after a warm-up, one fresh context each; then the statements they sent (captured by an EF interceptor) replayed");
        md.AppendLine("20 times straight on the engine over one open connection.");
        md.AppendLine();
        md.AppendLine($"- Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; command: `{o.CommandLine}`");
        md.AppendLine($"- Load average at the end (`/proc/loadavg`): {File.ReadAllText("/proc/loadavg").Trim()}.");
        md.AppendLine();
        foreach (var r in results)
        {
            md.AppendLine($"### {r.Provider}");
            md.AppendLine();
            md.AppendLine($"- Data: {r.Accounts:N0} accounts ({r.KeyAccounts:N0} key), {r.Visits:N0} visits, {r.Tasks:N0} tasks. Generation: {r.Generation}.");
            md.AppendLine();
            md.AppendLine("| user | request | rows | median ms | max ms | same SQL on the engine, median ms | statements |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var t in r.Timings)
                md.AppendLine($"| {t.User} | {t.Name} | {t.Rows:N0} | {F(t.MedianMs)} | {F(t.MaxMs)} | {F(t.SqlMedianMs)} | {t.Statements} |");
            md.AppendLine();
        }
        md.AppendLine("What keeps these fast: visits done are counted by one grouped query over the index `(AccountId, VisitedOn, Level)`");
        md.AppendLine("restricted to the board's accounts (read first as bare ids through the tier index `(Tier, Name, Id)`); requirements and");
        md.AppendLine("gaps are arithmetic in memory. The calendar is two index ranges by person and day: the attendee rows `(UserId, Day)`");
        md.AppendLine("(the owner is an attendee too, and each row carries its visit's calendar day) with the visits fetched by key, and");
        md.AppendLine("`(OwnerId, DueOn)` on tasks; account names and access are then read for the accounts the month touches. Before the");
        md.AppendLine("attendee day existed, a rep's month read every visit the rep had ever joined (11,388 attendee rows probed one by one).");
        DocSection.Write(o.Output, Begin, End, md.ToString());
    }

    private static string F(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture);
}
