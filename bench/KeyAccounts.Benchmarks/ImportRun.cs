using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KeyAccounts.Tests.Features.Imports;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KeyAccounts.Benchmarks;

public sealed record ImportResult(string Provider, string Engine, long Lines, double AppSeconds, double EngineSeconds, string EngineMethod, int Accepted,
    (double Rss, double Peak) Memory, long FileBytes, double AppCpuSeconds, double? DatabaseCpuSeconds)
{
    /// <summary>The dry run of the same file before the import (accounts only): validated and reported, nothing written.</summary>
    public double? DryRunSeconds { get; init; }
}

/// <summary>
/// A CSV import through the app against the engine's own bulk load of the same file into a plain table without indexes
/// (PostgreSQL <c>COPY … FROM STDIN (FORMAT csv)</c>; SQLite the sqlite3 CLI's <c>.import --csv</c>), on a fresh database. Each
/// kind writes its own section of docs/benchmarks.md.
/// <list type="bullet">
/// <item><c>--scenario import-orders [--order-lines N]</c>: N order lines (multipart upload to <c>POST /api/v1/imports/orders</c>,
/// validated, upserted, audited, one transaction).</item>
/// <item><c>--scenario import-accounts [--import-accounts N]</c>: N accounts (<c>POST /api/v1/imports/accounts</c>: a dry run, then
/// the import: credit-code check, duplicate check against the database and within the file, group parents, audit rows, first
/// owners and archive scores, one transaction). The file is the one the import tests use (<see cref="ImportTestData"/>).</item>
/// </list>
/// </summary>
public static class ImportRun
{
    private const string OrdersBegin = "<!-- import-orders -->";
    private const string OrdersEnd = "<!-- /import-orders -->";
    private const string AccountsBegin = "<!-- import-accounts -->";
    private const string AccountsEnd = "<!-- /import-accounts -->";
    private const int Accounts = 10_000;
    private const int LinesPerOrder = 10;
    private const int Products = 5_000;

    public static async Task<ImportResult> RunOrdersAsync(string provider, BenchOptions o, long lines)
    {
        var postgres = IsPostgres(provider);
        var directory = Path.Combine(o.DataDirectory, $"{(postgres ? "postgres" : "sqlite")}-import");
        var csv = Path.Combine(o.DataDirectory, $"orders-{lines}.csv");
        await using var server = postgres ? await PostgresServer.StartAsync(directory) : null;
        var connectionString = await FreshDatabaseAsync(server, directory, "keyaccounts_import");
        var env = AppServer.Environment(postgres ? "Postgres" : "Sqlite", connectionString);
        Console.WriteLine($"   generating {Accounts:N0} accounts");
        await Processes.RunAsync("dotnet", [o.AppDll, "generate", "--accounts", Accounts.ToString(CultureInfo.InvariantCulture), "--contacts-per-account", "0"], env);
        var codes = await CodesAsync(postgres, connectionString);
        if (!File.Exists(csv))
        {
            Console.WriteLine($"   writing {lines:N0} order lines to {csv}");
            WriteCsv(csv, lines, codes);
        }

        await using var app = await AppServer.StartAsync(o.AppDll, env);
        var upload = await UploadAsync(app, server, "orders", csv, dryRun: false);
        var (engine, method, engineSeconds) = await EngineLoadAsync(server, directory, csv,
            "order_no text, account_code text, order_date date, product_code text, product_name text, quantity numeric(18,4), unit_price numeric(18,4), unit_cost numeric(18,4)",
            "order_no TEXT, account_code TEXT, order_date TEXT, product_code TEXT, product_name TEXT, quantity REAL, unit_price REAL, unit_cost REAL");
        return new ImportResult(postgres ? "PostgreSQL" : "SQLite", engine, lines, upload.Seconds, engineSeconds, method, upload.Accepted, app.Memory(),
            new FileInfo(csv).Length, upload.AppCpuSeconds, upload.DatabaseCpuSeconds);
    }

    public static async Task<ImportResult> RunAccountsAsync(string provider, BenchOptions o, int accounts)
    {
        var postgres = IsPostgres(provider);
        var directory = Path.Combine(o.DataDirectory, $"{(postgres ? "postgres" : "sqlite")}-import-accounts");
        var csv = Path.Combine(o.DataDirectory, $"accounts-{accounts}.csv");
        await using var server = postgres ? await PostgresServer.StartAsync(directory) : null;
        var connectionString = await FreshDatabaseAsync(server, directory, "keyaccounts_import_accounts");
        Console.WriteLine($"   writing {accounts:N0} accounts to {csv}");
        ImportTestData.WriteAccountsCsv(csv, "B" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), accounts);

        await using var app = await AppServer.StartAsync(o.AppDll, AppServer.Environment(postgres ? "Postgres" : "Sqlite", connectionString));
        var dryRun = await UploadAsync(app, server, "accounts", csv, dryRun: true);
        var upload = await UploadAsync(app, server, "accounts", csv, dryRun: false);
        var columns = string.Join(", ", ImportTestData.AccountHeader.Split(',').Select(c => $"\"{c}\" text"));
        var (engine, method, engineSeconds) = await EngineLoadAsync(server, directory, csv, columns, columns);
        return new ImportResult(postgres ? "PostgreSQL" : "SQLite", engine, accounts, upload.Seconds, engineSeconds, method, upload.Accepted, app.Memory(),
            new FileInfo(csv).Length, upload.AppCpuSeconds, upload.DatabaseCpuSeconds)
        { DryRunSeconds = dryRun.Seconds };
    }

    private static bool IsPostgres(string provider) => provider.Equals("postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>An empty database for the app (and, on PostgreSQL, an empty one for the engine's bulk load); the app creates its schema at start.</summary>
    private static async Task<string> FreshDatabaseAsync(PostgresServer? server, string directory, string database)
    {
        Directory.CreateDirectory(directory);
        if (server is null)
        {
            foreach (var f in Directory.GetFiles(directory, "*.db*")) File.Delete(f);
            return $"Data Source={Path.Combine(directory, "keyaccounts.db")}";
        }
        await using var admin = new NpgsqlConnection(server.ConnectionString("postgres"));
        await admin.OpenAsync();
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", "DROP DATABASE IF EXISTS bulk_plain WITH (FORCE)", "CREATE DATABASE bulk_plain" })
            await new NpgsqlCommand(sql, admin).ExecuteNonQueryAsync();
        return server.ConnectionString(database);
    }

    private sealed record Upload(double Seconds, int Accepted, double AppCpuSeconds, double? DatabaseCpuSeconds);

    /// <summary>The file as a multipart upload to <c>POST /api/v1/imports/{kind}</c> as the administrator: wall time, CPU of the app and the database.</summary>
    private static async Task<Upload> UploadAsync(AppServer app, PostgresServer? server, string kind, string csv, bool dryRun)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = Timeout.InfiniteTimeSpan };
        var token = (await (await http.PostAsJsonAsync("/api/v1/auth/token", new { userName = "admin", password = ScaleRun.AdminPassword }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        Console.WriteLine($"   {(dryRun ? "dry run" : "importing")} through POST /api/v1/imports/{kind}");
        var appCpu = app.CpuSeconds();
        var databaseCpu = server?.CpuSeconds();
        var watch = Stopwatch.StartNew();
        using var content = new MultipartFormDataContent();
        var part = new StreamContent(File.OpenRead(csv), 1 << 20);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", Path.GetFileName(csv));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/imports/{kind}?dryRun={(dryRun ? "true" : "false")}") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        appCpu = app.CpuSeconds() - appCpu;
        databaseCpu = server?.CpuSeconds() - databaseCpu;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The import answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        var accepted = JsonDocument.Parse(body).RootElement.GetProperty("accepted").GetInt32();
        Console.WriteLine($"   app: {accepted:N0} rows in {seconds:F1} s, server CPU {appCpu:F1} s" +
                          (databaseCpu is { } d ? $", PostgreSQL CPU {d:F1} s" : "") + $", peak RSS {app.Memory().Peak:F0} MB");
        return new Upload(seconds, accepted, appCpu, databaseCpu);
    }

    /// <summary>The engine's bulk load of the same file into a plain table of these columns (PostgreSQL's and SQLite's definitions).</summary>
    private static async Task<(string Engine, string Method, double Seconds)> EngineLoadAsync(PostgresServer? server, string directory, string csv,
        string postgresColumns, string sqliteColumns)
    {
        (string, string, double) result = server is not null
            ? (server.Version, "`COPY plain FROM STDIN (FORMAT csv, HEADER)` into a plain table without indexes, same file, Npgsql text import",
                await PostgresCopyAsync(server.ConnectionString("bulk_plain"), csv, postgresColumns))
            : ("SQLite " + (await Processes.RunAsync("sqlite3", ["--version"])).Split(' ')[0],
                "sqlite3 CLI `.import --csv --skip 1` into a plain table without indexes, same file, journal_mode=WAL",
                await SqliteImportAsync(Path.Combine(directory, "plain.db"), csv, sqliteColumns));
        Console.WriteLine($"   engine: {result.Item3:F1} s");
        return result;
    }

    private static async Task<List<string>> CodesAsync(bool postgres, string connectionString)
    {
        await using System.Data.Common.DbConnection connection = postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Code\" FROM \"Accounts\" ORDER BY \"Id\"";
        var codes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) codes.Add(reader.GetString(0));
        return codes;
    }

    /// <summary>Orders of ten lines over three years; accounts drawn with a Pareto-like skew, so a few accounts carry most orders.</summary>
    private static void WriteCsv(string path, long lines, List<string> codes)
    {
        var random = new Random(42);
        var start = new DateOnly(2023, 1, 1);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("orderNo,accountCode,orderDate,productCode,productName,quantity,unitPrice,unitCost\n");
        for (long order = 0; order * LinesPerOrder < lines; order++)
        {
            var account = codes[(int)(codes.Count * Math.Pow(random.NextDouble(), 3))];
            var date = start.AddDays(random.Next(1095)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            for (var l = 0; l < LinesPerOrder && order * LinesPerOrder + l < lines; l++)
            {
                var product = random.Next(Products);
                var price = 10 + product % 500;
                var quantity = random.Next(20) == 0 ? -random.Next(1, 5) : random.Next(1, 100);
                writer.Write($"B{order:D9},{account},{date},P{product:D5},Product {product},{quantity},{price}.50,{price * 0.7:F2}\n");
            }
        }
    }

    private static async Task<double> PostgresCopyAsync(string connectionString, string csv, string columns)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand($"CREATE TABLE plain ({columns})", connection).ExecuteNonQueryAsync();
        var watch = Stopwatch.StartNew();
        await using (var writer = await connection.BeginTextImportAsync("COPY plain FROM STDIN (FORMAT csv, HEADER true)"))
        using (var reader = new StreamReader(csv))
        {
            var buffer = new char[1 << 20];
            int n;
            while ((n = await reader.ReadAsync(buffer)) > 0) await writer.WriteAsync(buffer, 0, n);
        }
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> SqliteImportAsync(string db, string csv, string columns)
    {
        foreach (var f in new[] { db, db + "-wal", db + "-shm" }) if (File.Exists(f)) File.Delete(f);
        await Processes.RunAsync("sqlite3", [db, "PRAGMA journal_mode=WAL;", $"CREATE TABLE plain ({columns});"]);
        var watch = Stopwatch.StartNew();
        await Processes.RunAsync("sqlite3", [db, "-cmd", ".mode csv", $".import --csv --skip 1 {csv} plain"]);
        return watch.Elapsed.TotalSeconds;
    }

    public static void WriteOrders(BenchOptions o, IReadOnlyList<ImportResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine("## Import: order lines through the app vs the engine's bulk load");
        md.AppendLine();
        md.AppendLine(RunLine(o));
        md.AppendLine($"A generated CSV of order lines (orders of {LinesPerOrder} lines, {Accounts:N0} generated accounts drawn with a skew, {Products:N0} products,");
        md.AppendLine("5% returns) is uploaded as multipart to `POST /api/v1/imports/orders` on a fresh database: every row parsed and validated,");
        md.AppendLine("accounts checked against the importer's rights, products and orders upserted, lines bulk-written (binary COPY on PostgreSQL,");
        md.AppendLine("a prepared INSERT bound through SQLite's own typed calls on SQLite) in chunks of 50,000 inside one transaction, one creation");
        md.AppendLine("summary in the audit log.");
        md.AppendLine("Targets: under 3 minutes on PostgreSQL, under 6 minutes on SQLite for 10,000,000 lines; memory bounded (the file is streamed).");
        md.AppendLine();
        md.AppendLine("| provider | lines | file | app import (upload → 200) | lines/s | app CPU | PostgreSQL CPU | engine bulk load | app / engine | server peak RSS |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            md.AppendLine($"| {r.Provider} ({r.Engine}) | {r.Accepted:N0} | {r.FileBytes / 1024.0 / 1024:F0} MB | {r.AppSeconds:F1} s | {r.Accepted / r.AppSeconds:N0} | " +
                          $"{r.AppCpuSeconds:F1} s | {(r.DatabaseCpuSeconds is { } d ? $"{d:F1} s" : "–")} | " +
                          $"{r.EngineSeconds:F1} s | {r.AppSeconds / r.EngineSeconds:F1}× | {r.Memory.Peak:F0} MB |");
        md.AppendLine();
        WriteFooter(md, results);
        DocSection.Write(o.Output, OrdersBegin, OrdersEnd, md.ToString());
    }

    public static void WriteAccounts(BenchOptions o, IReadOnlyList<ImportResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine("## Import: accounts from CSV");
        md.AppendLine();
        md.AppendLine(RunLine(o));
        md.AppendLine("The file the import tests use (`ImportTestData.WriteAccountsCsv`: UTF-8 with BOM, a unique code, name and valid credit code per");
        md.AppendLine("row, nine rows in ten with a group parent earlier in the same file, the owner column empty: the importer owns them) is uploaded as");
        md.AppendLine("multipart to `POST /api/v1/imports/accounts` on a fresh database, first as a dry run (parsed, validated, reported, nothing");
        md.AppendLine("written), then for real: every row validated (credit-code check character, duplicate check by credit code and normalised name");
        md.AppendLine("against the database and within the file), written with its audit row and first-owner record, the archive scores computed,");
        md.AppendLine("in one transaction. Target from issue 2: 100,000 accounts in under 20 s.");
        md.AppendLine();
        md.AppendLine("| provider | accounts | file | dry run | import (upload → 200) | accounts/s | app CPU | PostgreSQL CPU | engine bulk load | app / engine | server peak RSS |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            md.AppendLine($"| {r.Provider} ({r.Engine}) | {r.Accepted:N0} | {r.FileBytes / 1024.0 / 1024:F1} MB | {r.DryRunSeconds:F1} s | **{r.AppSeconds:F1} s** | {r.Accepted / r.AppSeconds:N0} | " +
                          $"{r.AppCpuSeconds:F1} s | {(r.DatabaseCpuSeconds is { } d ? $"{d:F1} s" : "–")} | " +
                          $"{r.EngineSeconds:F2} s | {r.AppSeconds / r.EngineSeconds:F0}× | {r.Memory.Peak:F0} MB |");
        md.AppendLine();
        WriteFooter(md, results);
        DocSection.Write(o.Output, AccountsBegin, AccountsEnd, md.ToString());
    }

    private static string RunLine(BenchOptions o) =>
        $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on this machine (`nproc` = {Environment.ProcessorCount}); command: `{o.CommandLine}`; runtime settings given to the app: {Report.RuntimeSettings()}.";

    private static void WriteFooter(StringBuilder md, IReadOnlyList<ImportResult> results)
    {
        foreach (var r in results) md.AppendLine($"- {r.Provider} engine load: {r.EngineMethod}.");
        md.AppendLine($"- Load average when written (`/proc/loadavg`): {File.ReadAllText("/proc/loadavg").Trim()}.");
    }
}
