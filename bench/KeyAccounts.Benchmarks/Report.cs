using System.Text;
using KeyAccounts.Infrastructure;

namespace KeyAccounts.Benchmarks;

public static class Report
{
    /// <summary>
    /// The garbage collector's settings the app ran with: what <see cref="RuntimeTuning"/> added to its environment, or what it
    /// inherited from the bench's own.
    /// </summary>
    public static string RuntimeSettings()
    {
        static string Listed(IEnumerable<(string Name, string? Value)> settings) => string.Join(", ", settings.Select(s => $"`{s.Name}={s.Value}`"));
        var tuning = RuntimeTuning.Environment();
        if (tuning.Count > 0)
            return Listed(tuning.Select(t => (t.Key, (string?)t.Value))) + " (the machine hides the CPU cache sizes from the runtime: docs/operations.md)";
        var inherited = RuntimeTuning.OperatorChoices.Select(name => (Name: name, Value: Environment.GetEnvironmentVariable(name)))
            .Where(s => !string.IsNullOrEmpty(s.Value)).ToList();
        return inherited.Count > 0 ? Listed(inherited) + " (inherited from the bench's environment)" : "none (the runtime sizes its garbage collector from the CPU cache)";
    }

    /// <summary>
    /// Writes each engine's section of docs/benchmarks.md (between <c>&lt;!-- list-sqlite --&gt;</c> or <c>&lt;!-- list-postgresql --&gt;</c>
    /// markers): a run of one engine leaves the other's as it was, and the notes around them stay.
    /// </summary>
    public static void Write(BenchOptions o, IReadOnlyList<ProviderResult> results)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(o.Output)!);
        foreach (var r in results)
        {
            var md = new StringBuilder();
            md.AppendLine($"## {r.Provider} ({r.Engine})");
            md.AppendLine();
            md.AppendLine($"- Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; command: `{o.CommandLine}`.");
            md.AppendLine($"- Machine: {Cpu()}, `nproc` = {Environment.ProcessorCount}; memory (`free -h`): {Memory()}; {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; .NET {Environment.Version}.");
            md.AppendLine($"- Runtime settings given to the app: {RuntimeSettings()}.");
            md.AppendLine($"- Load: {o.Clients} concurrent connections (wrk, 2 threads), {o.Seconds} s per scenario after warming it until the app's CPU per request settles");
            md.AppendLine("  (3 s rounds, the same clients, until two agree within 10%; every scenario once for 2 s before the first is timed); the same SQL");
            md.AppendLine("  straight on the engine with the same number of concurrent connections, same duration.");
            md.AppendLine($"- Data: {r.Accounts:N0} accounts, {r.Contacts:N0} contacts. Generation: {r.Generation}.");
            md.AppendLine($"- App start to first healthy answer (migrations checked): {r.StartSeconds:F1} s.");
            md.AppendLine($"- Server memory after the run: RSS {r.Memory.Rss:F0} MB, peak RSS {r.Memory.Peak:F0} MB.");
            md.AppendLine($"- Account page: {r.AccountPage}.");
            md.AppendLine($"- Load average at the end (`/proc/loadavg`): {r.Load}.");
            md.AppendLine();
            var db = r.Scenarios.Any(s => s.DbCpuMs is not null);
            md.AppendLine($"| user | request | total | HTTP p50 ms | HTTP p99 ms | req/s | SQL p50 ms | SQL p99 ms | HTTP/SQL p50 | app CPU ms/req |{(db ? " DB CPU ms/req |" : "")}");
            md.AppendLine($"|---|---|---:|---:|---:|---:|---:|---:|---:|---:|{(db ? "---:|" : "")}");
            foreach (var s in r.Scenarios)
                md.AppendLine($"| {s.Scenario.User} | {s.Scenario.Name} (`{s.Scenario.QueryString()}`) | {s.Total:N0}{(s.TotalIsEstimate ? "+" : "")} | " +
                              $"{Ms(s.Http.MedianMs)} | {Ms(s.Http.P99Ms)} | {s.Http.RequestsPerSecond:F0}{(s.Http.Errors > 0 ? $" ({s.Http.Errors} errors/timeouts > 10 s)" : "")} | " +
                              $"{Ms(s.Sql.MedianMs)} | {Ms(s.Sql.P99Ms)} | {(s.Http.MedianMs > 0 ? $"{s.Http.MedianMs / s.Sql.MedianMs:F1}×" : "n/a")} | " +
                              $"{Ms(s.AppCpuMs)} |{(db ? $" {Ms(s.DbCpuMs ?? double.NaN)} |" : "")}");
            var key = r.Provider.ToLowerInvariant();
            DocSection.Write(o.Output, $"<!-- list-{key} -->", $"<!-- /list-{key} -->", md.ToString());
        }
    }

    private static string Ms(double ms) => double.IsNaN(ms) || ms <= 0 ? "n/a" : ms.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);

    private static string Cpu() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown";

    private static string Memory()
    {
        try
        {
            var output = Processes.RunAsync("free", ["-h"]).GetAwaiter().GetResult().Split('\n');
            return output.Length > 1 ? string.Join(" ", output[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)) : "unknown";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }
}
