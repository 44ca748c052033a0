using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace KeyAccounts.Benchmarks;

public sealed record Latency(double MedianMs, double P99Ms, double RequestsPerSecond, long Requests, long Errors)
{
    public static Latency From(List<double> samplesMs, double seconds, long errors)
    {
        samplesMs.Sort();
        double At(double q) => samplesMs.Count == 0 ? double.NaN : samplesMs[Math.Min(samplesMs.Count - 1, (int)Math.Floor(q * samplesMs.Count))];
        return new Latency(At(0.5), At(0.99), samplesMs.Count / seconds, samplesMs.Count, errors);
    }
}

public static partial class Load
{
    /// <summary>HTTP load with wrk (Debian's package): N connections on 2 threads, latency percentiles from its own histogram.</summary>
    public static async Task<Latency> WrkAsync(string url, string token, int clients, int seconds)
    {
        var output = await Processes.RunAsync("wrk", ["-t2", $"-c{clients}", $"-d{seconds}s", "--latency", "--timeout", "10s", "-H", $"Authorization: Bearer {token}", url]);
        double Ms(string pct)
        {
            var m = Regex.Match(output, $@"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!m.Success) return double.NaN;
            var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
        }
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var total = long.Parse(TotalRequests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccess().Match(output) is { Success: true } e ? long.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (Timeouts().Match(output) is { Success: true } t) errors += long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture);
        return new Latency(Ms("50"), Ms("99"), rps, total, errors);
    }

    /// <summary>The same statements the app runs for one request, run straight on the engine by N concurrent connections.</summary>
    public static async Task<Latency> SqlAsync(Func<DbConnection> connect, SqlRequest request, int clients, int seconds)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * seconds;
        var samples = new List<double>[clients];
        long errors = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = samples[c] = [];
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    // A connection from the pool per request, as the app takes one per request.
                    await using var connection = connect();
                    await connection.OpenAsync();
                    await using var page = request.Page.Prepare(connection);
                    await using var count = request.Count?.Prepare(connection);
                    await using var pageRows = request.Rows?.Prepare(connection);
                    var rows = 0;
                    await using (var reader = await page.ExecuteReaderAsync())
                        while (await reader.ReadAsync())
                        {
                            for (var i = 0; i < reader.FieldCount; i++) reader.GetValue(i);
                            rows++;
                        }
                    if (pageRows is not null && rows > 0)
                        await using (var reader = await pageRows.ExecuteReaderAsync())
                            while (await reader.ReadAsync())
                                for (var i = 0; i < reader.FieldCount; i++) reader.GetValue(i);
                    if (count is not null && rows == request.PageSize) await count.ExecuteScalarAsync();
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (DbException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        return Latency.From([.. samples.SelectMany(s => s)], seconds, errors);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"Socket errors:.*timeout (\d+)")]
    private static partial Regex Timeouts();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}

/// <summary>A captured statement: its text and parameter values, replayable on a fresh connection.</summary>
public sealed record SqlStatement(string Text, IReadOnlyList<(string Name, object? Value)> Parameters)
{
    public static SqlStatement From(DbCommand command) =>
        new(command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList());

    public DbCommand Prepare(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Text;
        foreach (var (name, value) in Parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return command;
    }
}

/// <summary>
/// What the list endpoint runs for a request: the page (for a user's book, the page's ids and then <see cref="Rows"/>),
/// and the capped count when the page is full.
/// </summary>
public sealed record SqlRequest(SqlStatement Page, SqlStatement? Count, int PageSize)
{
    public SqlStatement? Rows { get; init; }
}
