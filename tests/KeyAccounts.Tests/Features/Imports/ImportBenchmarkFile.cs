namespace KeyAccounts.Tests.Features.Imports;

/// <summary>
/// Writes the benchmark file for the 100,000-account import when asked:
/// KEYACCOUNTS_IMPORT_BENCH_FILE=/tmp/accounts.csv KEYACCOUNTS_IMPORT_BENCH_ROWS=100000 dotnet test --filter WriteBenchmarkFile.
/// The timing is taken against the running app (see docs), never asserted here.
/// </summary>
public sealed class ImportBenchmarkFile
{
    [Fact]
    public void WriteBenchmarkFile_WhenAsked_WritesTheAccountsCsv()
    {
        if (Environment.GetEnvironmentVariable("KEYACCOUNTS_IMPORT_BENCH_FILE") is not { Length: > 0 } path) return;
        var rows = int.TryParse(Environment.GetEnvironmentVariable("KEYACCOUNTS_IMPORT_BENCH_ROWS"), out var n) ? n : 100_000;
        ImportTestData.WriteAccountsCsv(path, $"B{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}", rows);
        Assert.True(new FileInfo(path).Length > 0);
    }
}
