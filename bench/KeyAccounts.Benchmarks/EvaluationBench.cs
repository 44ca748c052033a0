using System.Diagnostics;
using System.Globalization;
using System.Text;
using KeyAccounts.Data;
using KeyAccounts.Features.Evaluation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace KeyAccounts.Benchmarks;

/// <summary>
/// The evaluation run at scale: generates accounts with orders (lines), invoices, payments and quality incidents by bulk load
/// (binary COPY on PostgreSQL; on SQLite one INSERT … SELECT per table), then times, in one process and one
/// session, the bare aggregation SQL of a run (read to the last row) and the whole run (aggregation, normalisation,
/// scoring, tiers, results written), alternating, twice each. Writes the "Evaluation run" section of docs/benchmarks.md.
/// Usage: ... -- --scenario evaluation [--providers sqlite,postgres] [--accounts 100000] [--lines-per-account 50] [--invoices-per-account 10]
/// </summary>
public static class EvaluationBench
{
    public sealed record Sizes(int Accounts, int LinesPerAccount, int InvoicesPerAccount)
    {
        public const int LinesPerOrder = 5;
        public long Lines => (long)Accounts * LinesPerAccount;
        public long Orders => Lines / LinesPerOrder;
        public long Invoices => (long)Accounts * InvoicesPerAccount;
    }

    public sealed record Result(
        string Provider, string Engine, Sizes Sizes, string Generation, double[] BareSeconds, double[] RunSeconds, int RatedAccounts,
        double PeakRssMb, double ManagedPeakMb, RunEvaluation.Phases? FasterRun = null);

    private const string Begin = "<!-- evaluation-benchmark -->";
    private const string End = "<!-- /evaluation-benchmark -->";

    public static async Task<int> MainAsync(string[] args, BenchOptions o)
    {
        string Value(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        var sizes = new Sizes(int.Parse(Value("--accounts", "100000")), int.Parse(Value("--lines-per-account", "50")), int.Parse(Value("--invoices-per-account", "10")));
        var results = new List<Result>();
        foreach (var provider in o.Providers)
        {
            Console.WriteLine($"== evaluation on {provider}");
            results.Add(await RunAsync(provider.Equals("postgres", StringComparison.OrdinalIgnoreCase), sizes, o));
            if (!o.GenerateOnly) WriteSection(o, results);
        }
        Console.WriteLine($"Wrote {o.Output}");
        return 0;
    }

    private static AppDb Context(bool postgres, string cs) => postgres
        ? new PostgresAppDb(new DbContextOptionsBuilder<PostgresAppDb>().UseNpgsql(cs, n => n.CommandTimeout(0)).Options)
        : new SqliteAppDb(new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite(cs, s => s.CommandTimeout(0)).Options);

    private static async Task<Result> RunAsync(bool postgres, Sizes sizes, BenchOptions o)
    {
        var directory = Path.Combine(o.DataDirectory, $"{(postgres ? "postgres" : "sqlite")}-evaluation-{sizes.Accounts}-{sizes.LinesPerAccount}-{sizes.InvoicesPerAccount}");
        Directory.CreateDirectory(directory);
        await using var server = postgres ? await PostgresServer.StartAsync(directory) : null;
        var cs = server?.ConnectionString("keyaccounts_evaluation") ?? $"Data Source={Path.Combine(directory, "keyaccounts.db")};Default Timeout=0";
        await using (var db = Context(postgres, cs)) await db.Database.MigrateAsync();

        var generation = "reused existing data";
        await using (var db = Context(postgres, cs))
            if (await db.Accounts.CountAsync() < sizes.Accounts)
            {
                var watch = Stopwatch.StartNew();
                await GenerateAsync(postgres, cs, sizes);
                generation = $"generated in {watch.Elapsed.TotalSeconds:F0} s (bulk load, then ANALYZE)";
                Console.WriteLine($"   {generation}");
            }

        if (o.GenerateOnly) return new Result(postgres ? "PostgreSQL" : "SQLite", "", sizes, generation, [], [], 0, 0, 0);

        long modelId;
        await using (var db = Context(postgres, cs))
        {
            var model = await db.EvaluationModels.FirstOrDefaultAsync(m => m.Name == "Benchmark standard" && m.Status == ModelStatus.Active);
            if (model is null)
            {
                var created = await EvaluationModels.CreateAsync(new EvaluationModels.SaveRequest("Benchmark standard", EvaluationModels.StandardCriteria()), db, TimeProvider.System, default);
                modelId = ((Microsoft.AspNetCore.Http.HttpResults.Created<EvaluationModelDto>)created.Result).Value!.Id;
                await EvaluationModels.ActivateAsync(modelId, db, TimeProvider.System, default);
            }
            else modelId = model.Id;
        }

        var engine = postgres ? server!.Version : "SQLite " + SqliteVersion(cs);
        var start = new DateOnly(2025, 1, 1);
        var end = new DateOnly(2025, 12, 31);
        var bare = new List<double>();
        var run = new List<double>();
        var phases = new List<RunEvaluation.Phases>();
        var rated = 0;
        double peakRss = 0, managedPeak = 0;
        for (var round = 0; round < 2; round++)
        {
            bare.Add(await BareAsync(postgres, cs, start, end));
            Console.WriteLine($"   bare aggregation SQL: {bare[^1]:F1} s");
            GC.Collect();
            ResetPeakRss();
            var baseline = GC.GetTotalMemory(true);
            using var sampler = new ManagedSampler();
            var watch = Stopwatch.StartNew();
            await using (var db = Context(postgres, cs))
            {
                var model = await db.EvaluationModels.FirstAsync(m => m.Id == modelId);
                var outcome = await RunEvaluation.EvaluateAsync(db, model, start, end, RunTrigger.Manual, null, null, TimeProvider.System, default);
                rated = outcome.Run?.AccountCount ?? throw new InvalidOperationException(FormattableString.Invariant(outcome.Error ?? outcome.Conflict!));
                phases.Add(outcome.Took!);
            }
            run.Add(watch.Elapsed.TotalSeconds);
            peakRss = Math.Max(peakRss, PeakRssMb());
            managedPeak = Math.Max(managedPeak, (sampler.Peak - baseline) / 1048576.0);
            Console.WriteLine($"   full run: {run[^1]:F1} s ({rated:N0} accounts rated; {phases[^1]}), peak RSS {peakRss:F0} MB");
        }
        return new Result(postgres ? "PostgreSQL" : "SQLite", engine, sizes, generation, [.. bare], [.. run], rated, peakRss, managedPeak,
            phases[run.IndexOf(run.Min())]);
    }

    /// <summary>The run's own aggregation statement, on a plain connection, every row read.</summary>
    private static async Task<double> BareAsync(bool postgres, string cs, DateOnly start, DateOnly end)
    {
        await using System.Data.Common.DbConnection connection = postgres ? new NpgsqlConnection(cs) : new SqliteConnection(cs);
        await connection.OpenAsync();
        var watch = Stopwatch.StartNew();
        await using var cmd = RunEvaluation.AggregationCommand(connection, SqlDialect.For(postgres), start, end, -1);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = 0L;
        var sum = 0.0;
        while (await reader.ReadAsync())
        {
            rows++;
            if (!reader.IsDBNull(2)) sum += reader.GetDouble(2);
        }
        return rows > 0 && sum != 0 ? watch.Elapsed.TotalSeconds : throw new InvalidOperationException("The aggregation found nothing.");
    }

    private static string SqliteVersion(string cs)
    {
        using var c = new SqliteConnection(cs);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT sqlite_version()";
        return (string)cmd.ExecuteScalar()!;
    }

    /// <summary>Peak RSS since <see cref="ResetPeakRss"/>: Linux resets VmHWM when "5" is written to clear_refs.</summary>
    private static void ResetPeakRss()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static double PeakRssMb() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:")).Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();

    private sealed class ManagedSampler : IDisposable
    {
        private readonly Timer timer;
        public long Peak { get; private set; }
        public ManagedSampler() => timer = new Timer(_ => Peak = Math.Max(Peak, GC.GetTotalMemory(false)), null, 0, 50);
        public void Dispose() => timer.Dispose();
    }

    private static async Task GenerateAsync(bool postgres, string cs, Sizes sizes)
    {
        await using System.Data.Common.DbConnection connection = postgres ? new NpgsqlConnection(cs) : new SqliteConnection(cs);
        await connection.OpenAsync();
        var now = DateTime.UtcNow;
        var ownerId = "bench-owner";
        await ExecAsync(connection, $"""
            INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "DisplayName", "IsActive", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
            VALUES ('{ownerId}', 'bench-owner', 'BENCH-OWNER', 'Bench owner', {(postgres ? "TRUE" : "1")}, {(postgres ? "FALSE" : "0")}, {(postgres ? "FALSE" : "0")}, {(postgres ? "FALSE" : "0")}, {(postgres ? "FALSE" : "0")}, 0)
            ON CONFLICT DO NOTHING
            """);
        var random = new Random(42);
        // Account size is heavy-tailed, as in real books: a few accounts buy most.
        var size = Enumerable.Range(0, sizes.Accounts).Select(_ => Math.Exp(random.NextDouble() * 4 - 1)).ToArray();
        if (!postgres)
        {
            await GenerateSqliteAsync((SqliteConnection)connection, sizes, size, ownerId, now);
            return;
        }
        var writer = new Bulk((NpgsqlConnection)connection);
        var watch = Stopwatch.StartNew();
        await writer.WriteAsync("Accounts", ["Id", "Code", "Name", "NormalizedName", "NameInitials", "Type", "OwnerId", "Tier", "Status", "ArchiveScore", "CreatedAt", "UpdatedAt", "Version"],
            [NpgsqlDbType.Bigint, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Text, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Integer, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.Integer],
            Range(sizes.Accounts).Select(i => new object?[] { i + 1L, $"E{i + 1:D7}", $"评价基准客户{i + 1:D7}有限公司", $"评价基准客户{i + 1:D7}", "PJJZKH", "Customer", ownerId, "Ordinary", "Active", 0, now, now, 0 }));
        await writer.WriteAsync("Products", ["Id", "Code", "Name", "UpdatedAt", "Version"],
            [NpgsqlDbType.Bigint, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.TimestampTz, NpgsqlDbType.Integer],
            Range(100).Select(i => new object?[] { i + 1L, $"BP{i + 1:D3}", $"产品{i + 1}", now, 0 }));
        var ordersPerAccount = sizes.LinesPerAccount / Sizes.LinesPerOrder;
        var days = 730;
        var first = new DateOnly(2024, 1, 1);
        DateOnly Day(long k) => first.AddDays((int)(k * 7919 % days));
        await writer.WriteAsync("Orders", ["Id", "OrderNo", "AccountId", "OrderDate", "UpdatedAt"],
            [NpgsqlDbType.Bigint, NpgsqlDbType.Varchar, NpgsqlDbType.Bigint, NpgsqlDbType.Date, NpgsqlDbType.TimestampTz],
            LongRange(sizes.Orders).Select(k => new object?[] { k + 1, $"SO{k + 1:D10}", k / ordersPerAccount + 1, Day(k), now }));
        Console.WriteLine($"   accounts and orders loaded in {watch.Elapsed.TotalSeconds:F0} s");
        await writer.WriteAsync("OrderLines", ["OrderId", "LineNo", "AccountId", "OrderDate", "ProductId", "Quantity", "UnitPrice", "UnitCost"],
            [NpgsqlDbType.Bigint, NpgsqlDbType.Integer, NpgsqlDbType.Bigint, NpgsqlDbType.Date, NpgsqlDbType.Bigint, NpgsqlDbType.Numeric, NpgsqlDbType.Numeric, NpgsqlDbType.Numeric],
            LongRange(sizes.Lines).Select(l =>
            {
                var order = l / Sizes.LinesPerOrder;
                var account = order / ordersPerAccount;
                var quantity = l % 97 == 0 ? -1m : 1 + l % 20;
                var price = Math.Round((decimal)(size[account] * (50 + l % 500)), 2);
                return new object?[] { order + 1, (int)(l % Sizes.LinesPerOrder) + 1, account + 1, Day(order), l % 100 + 1, quantity, price, Math.Round(price * 0.72m, 2) };
            }));
        Console.WriteLine($"   order lines loaded in {watch.Elapsed.TotalSeconds:F0} s");
        await writer.WriteAsync("Invoices", ["InvoiceNo", "AccountId", "IssuedOn", "DueOn", "Amount", "UpdatedAt"],
            [NpgsqlDbType.Varchar, NpgsqlDbType.Bigint, NpgsqlDbType.Date, NpgsqlDbType.Date, NpgsqlDbType.Numeric, NpgsqlDbType.TimestampTz],
            LongRange(sizes.Invoices).Select(k => new object?[] { $"IV{k + 1:D10}", k / sizes.InvoicesPerAccount + 1, Day(k), Day(k).AddDays(30), Math.Round((decimal)(size[k / sizes.InvoicesPerAccount] * 20_000), 2), now }));
        await writer.WriteAsync("Payments", ["PaymentNo", "AccountId", "PaidOn", "Amount", "InvoiceNo", "UpdatedAt"],
            [NpgsqlDbType.Varchar, NpgsqlDbType.Bigint, NpgsqlDbType.Date, NpgsqlDbType.Numeric, NpgsqlDbType.Varchar, NpgsqlDbType.TimestampTz],
            LongRange(sizes.Invoices).Select(k => new object?[] { $"PY{k + 1:D10}", k / sizes.InvoicesPerAccount + 1, Day(k).AddDays(20 + (int)(k % 40)), Math.Round((decimal)(size[k / sizes.InvoicesPerAccount] * 20_000 * (k % 9 == 0 ? 0.5 : 1)), 2), $"IV{k + 1:D10}", now }));
        await writer.WriteAsync("QualityIncidents", ["IncidentNo", "AccountId", "OccurredOn", "LossAmount", "UpdatedAt"],
            [NpgsqlDbType.Varchar, NpgsqlDbType.Bigint, NpgsqlDbType.Date, NpgsqlDbType.Numeric, NpgsqlDbType.TimestampTz],
            LongRange(sizes.Accounts / 10).Select(k => new object?[] { $"QI{k + 1:D9}", k * 10 + 1, Day(k), 1000m + k % 50 * 1000, now }));
        Console.WriteLine($"   invoices, payments and incidents loaded in {watch.Elapsed.TotalSeconds:F0} s");
        await ExecAsync(connection, "VACUUM (ANALYZE)");
    }

    /// <summary>
    /// The same rows as the PostgreSQL path, made by SQLite itself: one INSERT … SELECT per table over a recursive counter
    /// (a prepared insert per row took half an hour for the accounts and orders alone). The rollback journal is off while
    /// loading; the database is thrown away if the load fails.
    /// </summary>
    private static async Task GenerateSqliteAsync(SqliteConnection connection, Sizes sizes, double[] size, string ownerId, DateTime now)
    {
        var stamp = now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        await ExecAsync(connection, "PRAGMA journal_mode=DELETE; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; PRAGMA temp_store=MEMORY;");
        await ExecAsync(connection, """
            CREATE TEMP TABLE sizes ("Id" INTEGER PRIMARY KEY, "Size" REAL);
            CREATE TEMP TABLE days ("Offset" INTEGER PRIMARY KEY, "Day" TEXT, "Due" TEXT);
            """);
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """INSERT INTO temp.sizes VALUES ($id, $size)""";
            var id = cmd.Parameters.Add("$id", SqliteType.Integer);
            var value = cmd.Parameters.Add("$size", SqliteType.Real);
            for (var i = 0; i < size.Length; i++)
            {
                id.Value = i;
                value.Value = size[i];
                await cmd.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        var first = new DateOnly(2024, 1, 1);
        await ExecAsync(connection, "INSERT INTO temp.days VALUES " + string.Join(", ",
            Range(730).Select(k => $"({k}, '{first.AddDays(k):yyyy-MM-dd}', '{first.AddDays(k + 30):yyyy-MM-dd}')")));
        var ordersPerAccount = sizes.LinesPerAccount / Sizes.LinesPerOrder;
        string Counter(long n) => $"WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < {n - 1})";
        var watch = Stopwatch.StartNew();
        async Task Load(string table, string sql)
        {
            await ExecAsync(connection, sql);
            Console.WriteLine($"   {table} loaded at {watch.Elapsed.TotalSeconds:F0} s");
        }
        await Load("Accounts", $"""
            {Counter(sizes.Accounts)}
            INSERT INTO "Accounts" ("Id", "Code", "Name", "NormalizedName", "NameInitials", "Type", "OwnerId", "Tier", "Status", "ArchiveScore", "CreatedAt", "UpdatedAt", "Version")
            SELECT k + 1, printf('E%07d', k + 1), printf('评价基准客户%07d有限公司', k + 1), printf('评价基准客户%07d', k + 1), 'PJJZKH', 'Customer', '{ownerId}', 'Ordinary', 'Active', 0, '{stamp}', '{stamp}', 0 FROM n
            """);
        await Load("Products", $"""
            {Counter(100)}
            INSERT INTO "Products" ("Id", "Code", "Name", "UpdatedAt", "Version") SELECT k + 1, printf('BP%03d', k + 1), '产品' || (k + 1), '{stamp}', 0 FROM n
            """);
        await Load("Orders", $"""
            {Counter(sizes.Orders)}
            INSERT INTO "Orders" ("Id", "OrderNo", "AccountId", "OrderDate", "UpdatedAt")
            SELECT k + 1, printf('SO%010d', k + 1), k / {ordersPerAccount} + 1, d."Day", '{stamp}' FROM n JOIN temp.days d ON d."Offset" = n.k * 7919 % 730
            """);
        await Load("OrderLines", $"""
            {Counter(sizes.Lines)}
            INSERT INTO "OrderLines" ("OrderId", "LineNo", "AccountId", "OrderDate", "ProductId", "Quantity", "UnitPrice", "UnitCost")
            SELECT o + 1, k % {Sizes.LinesPerOrder} + 1, a + 1, d."Day", k % 100 + 1, CASE WHEN k % 97 = 0 THEN -1 ELSE 1 + k % 20 END, price, round(price * 0.72, 2)
            FROM (SELECT k, o, a, round(s."Size" * (50 + k % 500), 2) AS price
                  FROM (SELECT k, k / {Sizes.LinesPerOrder} AS o, k / {Sizes.LinesPerOrder} / {ordersPerAccount} AS a FROM n) JOIN temp.sizes s ON s."Id" = a) x
            JOIN temp.days d ON d."Offset" = x.o * 7919 % 730
            """);
        await Load("Invoices", $"""
            {Counter(sizes.Invoices)}
            INSERT INTO "Invoices" ("InvoiceNo", "AccountId", "IssuedOn", "DueOn", "Amount", "UpdatedAt")
            SELECT printf('IV%010d', k + 1), k / {sizes.InvoicesPerAccount} + 1, d."Day", d."Due", round(s."Size" * 20000, 2), '{stamp}'
            FROM n JOIN temp.sizes s ON s."Id" = k / {sizes.InvoicesPerAccount} JOIN temp.days d ON d."Offset" = n.k * 7919 % 730
            """);
        await Load("Payments", $"""
            {Counter(sizes.Invoices)}
            INSERT INTO "Payments" ("PaymentNo", "AccountId", "PaidOn", "Amount", "InvoiceNo", "UpdatedAt")
            SELECT printf('PY%010d', k + 1), k / {sizes.InvoicesPerAccount} + 1, date(d."Day", '+' || (20 + k % 40) || ' days'),
                   round(s."Size" * 20000 * (CASE WHEN k % 9 = 0 THEN 0.5 ELSE 1 END), 2), printf('IV%010d', k + 1), '{stamp}'
            FROM n JOIN temp.sizes s ON s."Id" = k / {sizes.InvoicesPerAccount} JOIN temp.days d ON d."Offset" = n.k * 7919 % 730
            """);
        await Load("QualityIncidents", $"""
            {Counter(sizes.Accounts / 10)}
            INSERT INTO "QualityIncidents" ("IncidentNo", "AccountId", "OccurredOn", "LossAmount", "UpdatedAt")
            SELECT printf('QI%09d', k + 1), k * 10 + 1, d."Day", 1000 + k % 50 * 1000, '{stamp}' FROM n JOIN temp.days d ON d."Offset" = n.k * 7919 % 730
            """);
        await ExecAsync(connection, "ANALYZE; PRAGMA journal_mode=WAL;");
    }

    private static IEnumerable<int> Range(int n) => Enumerable.Range(0, n);

    private static IEnumerable<long> LongRange(long n)
    {
        for (var i = 0L; i < n; i++) yield return i;
    }

    private static async Task ExecAsync(System.Data.Common.DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }

    private sealed class Bulk(NpgsqlConnection connection)
    {
        public async Task WriteAsync(string table, string[] columns, NpgsqlDbType[] types, IEnumerable<object?[]> rows)
        {
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            await using var copy = await connection.BeginBinaryImportAsync($"COPY \"{table}\" ({list}) FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                for (var i = 0; i < row.Length; i++)
                    if (row[i] is null) await copy.WriteNullAsync();
                    else await copy.WriteAsync(row[i], types[i]);
            }
            await copy.CompleteAsync();
        }
    }

    /// <summary>Replaces the evaluation section of docs/benchmarks.md (<see cref="DocSection"/>).</summary>
    private static void WriteSection(BenchOptions o, IReadOnlyList<Result> results)
    {
        var md = new StringBuilder();
        md.AppendLine("## Evaluation run");
        md.AppendLine();
        md.AppendLine($"Written by `{o.CommandLine}` at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on the machine above (`nproc` = {Environment.ProcessorCount}).");
        md.AppendLine("Per provider: accounts with orders (5 lines each), invoices, payments (one per invoice) and quality incidents (one per ten");
        md.AppendLine("accounts) over 2024–2025, bulk-loaded; the run evaluates 2025 with the eight standard criteria. **Bare SQL** is the run's own");
        md.AppendLine("aggregation statement (`RunEvaluation.AggregationSql`: one GROUP BY per table, joined per account) read to the last row on a plain");
        md.AppendLine("connection; **full run** is `RunEvaluation.EvaluateAsync` (the same statement streamed, judged scores, normalisation, scores,");
        md.AppendLine("tiers, change classification and every result row written with its factors: binary COPY / prepared inserts, one transaction).");
        md.AppendLine("Both run twice, alternating, in the same process; the ratio uses the better of each. Memory: peak RSS of the benchmark process");
        md.AppendLine("during the run (VmHWM reset before it) and the peak managed heap above the baseline (sampled every 50 ms).");
        md.AppendLine();
        md.AppendLine("| provider | accounts | order lines | invoices / payments | bare SQL (s) | full run (s) | run / SQL | accounts rated | peak RSS | managed peak |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var ratio = r.RunSeconds.Min() / r.BareSeconds.Min();
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Provider} ({r.Engine}) | {r.Sizes.Accounts:N0} | {r.Sizes.Lines:N0} | {r.Sizes.Invoices:N0} | {string.Join(" / ", r.BareSeconds.Select(s => s.ToString("F1", CultureInfo.InvariantCulture)))} | {string.Join(" / ", r.RunSeconds.Select(s => s.ToString("F1", CultureInfo.InvariantCulture)))} | {ratio:F2} | {r.RatedAccounts:N0} | {r.PeakRssMb:F0} MB | {r.ManagedPeakMb:F0} MB |"));
        }
        md.AppendLine();
        foreach (var r in results) md.AppendLine($"- {r.Provider}: data {r.Generation}. The faster full run: {r.FasterRun}.");
        md.AppendLine($"- Load average when written (`/proc/loadavg`, 2 cores shared with other work): {File.ReadAllText("/proc/loadavg").Trim()}.");
        DocSection.Write(o.Output, Begin, End, md.ToString());
    }
}
