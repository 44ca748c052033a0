using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KeyAccounts.Benchmarks;

public sealed record ImportResult(string Provider, string Engine, long Lines, double AppSeconds, double EngineSeconds, string EngineMethod, int Accepted,
    (double Rss, double Peak) Memory, long FileBytes, double AppCpuSeconds, double? DatabaseCpuSeconds);

/// <summary>
/// <c>--scenario import-orders</c>: N order lines as one CSV through the app's import path (multipart upload to
/// <c>POST /api/v1/imports/orders</c>, validated, upserted, audited, one transaction) on a fresh database, against the engine's
/// own bulk load of the same file into a plain table (PostgreSQL <c>COPY … FROM STDIN (FORMAT csv)</c>; SQLite the sqlite3
/// CLI's <c>.import --csv</c>). Writes its own section of docs/benchmarks.md.
/// </summary>
public static class ImportRun
{
    public const string Marker = "## Import: order lines through the app vs the engine's bulk load";
    private const int Accounts = 10_000;
    private const int LinesPerOrder = 10;
    private const int Products = 5_000;

    public static async Task<ImportResult> RunAsync(string provider, BenchOptions o, long lines)
    {
        var postgres = provider.Equals("postgres", StringComparison.OrdinalIgnoreCase);
        var directory = Path.Combine(o.DataDirectory, $"{(postgres ? "postgres" : "sqlite")}-import");
        Directory.CreateDirectory(directory);
        var csv = Path.Combine(o.DataDirectory, $"orders-{lines}.csv");

        await using var server = postgres ? await PostgresServer.StartAsync(directory) : null;
        string connectionString;
        if (server is not null)
        {
            await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
            {
                await admin.OpenAsync();
                foreach (var sql in new[] { "DROP DATABASE IF EXISTS keyaccounts_import WITH (FORCE)", "DROP DATABASE IF EXISTS bulk_plain WITH (FORCE)", "CREATE DATABASE bulk_plain" })
                    await new NpgsqlCommand(sql, admin).ExecuteNonQueryAsync();
            }
            connectionString = server.ConnectionString("keyaccounts_import");
        }
        else
        {
            foreach (var f in Directory.GetFiles(directory, "*.db*")) File.Delete(f);
            connectionString = $"Data Source={Path.Combine(directory, "keyaccounts.db")}";
        }
        var env = AppServer.Environment(postgres ? "Postgres" : "Sqlite", connectionString);
        Console.WriteLine($"   generating {Accounts:N0} accounts");
        await Processes.RunAsync("dotnet", [o.AppDll, "generate", "--accounts", Accounts.ToString(CultureInfo.InvariantCulture), "--contacts-per-account", "0"], env);
        var codes = await CodesAsync(postgres, connectionString);
        if (!File.Exists(csv))
        {
            Console.WriteLine($"   writing {lines:N0} order lines to {csv}");
            WriteCsv(csv, lines, codes);
        }
        var bytes = new FileInfo(csv).Length;

        await using var app = await AppServer.StartAsync(o.AppDll, env);
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = Timeout.InfiniteTimeSpan };
        var token = (await (await http.PostAsJsonAsync("/api/v1/auth/token", new { userName = "admin", password = ScaleRun.AdminPassword }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        Console.WriteLine("   importing through POST /api/v1/imports/orders");
        var appCpu = app.CpuSeconds();
        var databaseCpu = server?.CpuSeconds();
        var watch = Stopwatch.StartNew();
        using var content = new MultipartFormDataContent();
        var part = new StreamContent(File.OpenRead(csv), 1 << 20);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", Path.GetFileName(csv));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports/orders") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var appSeconds = watch.Elapsed.TotalSeconds;
        appCpu = app.CpuSeconds() - appCpu;
        databaseCpu = server?.CpuSeconds() - databaseCpu;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The import answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        var accepted = JsonDocument.Parse(body).RootElement.GetProperty("accepted").GetInt32();
        var memory = app.Memory();
        Console.WriteLine($"   app: {accepted:N0} lines in {appSeconds:F1} s, server CPU {appCpu:F1} s" +
                          (databaseCpu is { } d ? $", PostgreSQL CPU {d:F1} s" : "") + $", peak RSS {memory.Peak:F0} MB");

        string engine, method;
        double engineSeconds;
        if (server is not null)
        {
            engine = server.Version;
            method = "`COPY plain FROM STDIN (FORMAT csv, HEADER)` into a plain table without indexes, same file, Npgsql text import";
            engineSeconds = await PostgresCopyAsync(server.ConnectionString("bulk_plain"), csv);
        }
        else
        {
            engine = "SQLite " + (await Processes.RunAsync("sqlite3", ["--version"])).Split(' ')[0];
            method = "sqlite3 CLI `.import --csv --skip 1` into a plain table without indexes, same file, journal_mode=WAL";
            engineSeconds = await SqliteImportAsync(Path.Combine(directory, "plain.db"), csv);
        }
        Console.WriteLine($"   engine: {engineSeconds:F1} s");
        return new ImportResult(postgres ? "PostgreSQL" : "SQLite", engine, lines, appSeconds, engineSeconds, method, accepted, memory, bytes, appCpu, databaseCpu);
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

    private static async Task<double> PostgresCopyAsync(string connectionString, string csv)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand("CREATE TABLE plain (order_no text, account_code text, order_date date, product_code text, product_name text, " +
                                "quantity numeric(18,4), unit_price numeric(18,4), unit_cost numeric(18,4))", connection).ExecuteNonQueryAsync();
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

    private static async Task<double> SqliteImportAsync(string db, string csv)
    {
        foreach (var f in new[] { db, db + "-wal", db + "-shm" }) if (File.Exists(f)) File.Delete(f);
        await Processes.RunAsync("sqlite3", [db, "PRAGMA journal_mode=WAL;", "CREATE TABLE plain (order_no TEXT, account_code TEXT, order_date TEXT, product_code TEXT, " +
                                                  "product_name TEXT, quantity REAL, unit_price REAL, unit_cost REAL);"]);
        var watch = Stopwatch.StartNew();
        await Processes.RunAsync("sqlite3", [db, "-cmd", ".mode csv", $".import --csv --skip 1 {csv} plain"]);
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Replaces this scenario's section of docs/benchmarks.md (or appends it), leaving the rest of the file as it is.</summary>
    public static void Write(BenchOptions o, IReadOnlyList<ImportResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine(Marker);
        md.AppendLine();
        md.AppendLine($"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on this machine (`nproc` = {Environment.ProcessorCount}); command: `{o.CommandLine}`; runtime settings given to the app: {Report.RuntimeSettings()}.");
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
        foreach (var r in results) md.AppendLine($"- {r.Provider} engine load: {r.EngineMethod}.");
        md.AppendLine();

        var existing = File.Exists(o.Output) ? File.ReadAllText(o.Output) : "# Benchmarks\n\n";
        var start = existing.IndexOf(Marker, StringComparison.Ordinal);
        string updated;
        if (start < 0) updated = existing.TrimEnd() + "\n\n" + md;
        else
        {
            // The section ends at the next heading or at the next scenario's marker, whichever comes first.
            var next = new[] { "\n## ", "\n<!-- " }.Select(m => existing.IndexOf(m, start + Marker.Length, StringComparison.Ordinal))
                .Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            updated = existing[..start] + md + (next < 0 ? "" : existing[(next + 1)..]);
        }
        File.WriteAllText(o.Output, updated);
    }
}
