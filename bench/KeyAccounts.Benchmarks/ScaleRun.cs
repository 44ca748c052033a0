using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KeyAccounts.Benchmarks;

public sealed record Scenario(string Name, string User, ListAccounts.Query Query)
{
    public string QueryString()
    {
        var parts = new List<string>();
        void Add(string key, object? value) { if (value is not null) parts.Add($"{key}={Uri.EscapeDataString(value.ToString()!)}"); }
        Add("search", Query.Search); Add("tier", Query.Tier); Add("province", Query.Province); Add("ownerId", Query.OwnerId);
        Add("sort", Query.Sort); Add("descending", Query.Descending?.ToString().ToLowerInvariant()); Add("page", Query.Page); Add("pageSize", Query.PageSize);
        return string.Join('&', parts);
    }
}

/// <param name="AppCpuMs">CPU time of the app process per request during the wrk run, in ms.</param>
/// <param name="DbCpuMs">CPU time of the PostgreSQL backends per request during the wrk run, in ms (null on SQLite, which runs in the app).</param>
public sealed record ScenarioResult(Scenario Scenario, string Url, int Total, bool TotalIsEstimate, Latency Http, Latency Sql, double AppCpuMs, double? DbCpuMs);

public sealed record ProviderResult(
    string Provider, string Engine, long Accounts, long Contacts, string Generation, double StartSeconds,
    IReadOnlyList<ScenarioResult> Scenarios, string AccountPage, (double Rss, double Peak) Memory, string Load);

public static class ScaleRun
{
    public const string AdminPassword = "Admin.Passw0rd!";

    /// <summary>Users of the generated sales force and the admin: Admin sees all, a Rep their book (~5,000), a Manager a department (~50,000).</summary>
    private static readonly (string User, string Password)[] Users =
        [("admin", AdminPassword), ("gen-rep-001", "Generate.Passw0rd!"), ("gen-manager-01", "Generate.Passw0rd!")];

    private static IReadOnlyList<Scenario> Scenarios() =>
    [
        new("list, sorted by name, page 1", "admin", new()),
        new("list, tier filter, sorted by name", "admin", new() { Tier = Tier.Key }),
        new("list, province filter, sorted by name", "admin", new() { Province = "浙江" }),
        new("list, newest first", "admin", new() { Sort = AccountSort.UpdatedAt, Descending = true }),
        new("list, by archive score, page 20", "admin", new() { Sort = AccountSort.ArchiveScore, Page = 20 }),
        new("search name fragment (4 chars)", "admin", new() { Search = "恒光精密" }),
        new("search code prefix", "admin", new() { Search = "G00123" }),
        new("search pinyin initials", "admin", new() { Search = "HZHG" }),
        new("search full pinyin", "admin", new() { Search = "hengguang" }),
        new("list, sorted by name, page 1", "gen-rep-001", new()),
        new("list, tier filter, by archive score", "gen-rep-001", new() { Tier = Tier.Major, Sort = AccountSort.ArchiveScore }),
        new("search name fragment (4 chars)", "gen-rep-001", new() { Search = "液压气动" }),
        new("search full pinyin", "gen-rep-001", new() { Search = "yeyaqidong" }),
        new("list, sorted by name, page 1", "gen-manager-01", new()),
        new("list, tier filter, sorted by name", "gen-manager-01", new() { Tier = Tier.Key }),
        new("search name fragment (4 chars)", "gen-manager-01", new() { Search = "精密机械" }),
        new("search full pinyin", "gen-manager-01", new() { Search = "jingmijixie" }),
    ];

    /// <summary>Generates the data if it is missing and runs the scenarios; with <c>--generate-only</c> stops after the data (null).</summary>
    public static async Task<ProviderResult?> RunAsync(string provider, BenchOptions o)
    {
        var postgres = provider.Equals("postgres", StringComparison.OrdinalIgnoreCase);
        var directory = Path.Combine(o.DataDirectory, $"{(postgres ? "postgres" : "sqlite")}-{o.Accounts}");
        Directory.CreateDirectory(directory);
        await using var server = postgres ? await PostgresServer.StartAsync(directory) : null;
        var connectionString = server?.ConnectionString("keyaccounts_bench") ?? $"Data Source={Path.Combine(directory, "keyaccounts.db")}";
        // The app gets the connection string without a pool size, so its own settings apply (DataSetup.PostgresConnectionString).
        var appConnectionString = server?.ConnectionString("keyaccounts_bench", poolSize: null) ?? connectionString;
        var env = AppServer.Environment(postgres ? "Postgres" : "Sqlite", appConnectionString);

        var generation = "reused existing data";
        var have = await CountGeneratedAsync(postgres, connectionString);
        if (have < o.Accounts)
        {
            Console.WriteLine($"   generating {o.Accounts - have:N0} accounts");
            var output = await Processes.RunAsync("dotnet", [o.AppDll, "generate", "--accounts", (o.Accounts - have).ToString(), "--contacts-per-account", o.ContactsPerAccount.ToString()], env, echo: true);
            generation = Regex.Match(output, @"Generated .*").Value;
        }
        if (o.GenerateOnly) return null;

        var started = Stopwatch.StartNew();
        await using var app = await AppServer.StartAsync(o.AppDll, env);
        var startSeconds = started.Elapsed.TotalSeconds;
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var tokens = new Dictionary<string, string>();
        foreach (var (user, password) in Users)
        {
            var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { userName = user, password });
            response.EnsureSuccessStatusCode();
            tokens[user] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        }

        await using var db = Context(postgres, connectionString);
        var userIds = await db.Users.Where(u => Users.Select(x => x.User).Contains(u.UserName!)).ToDictionaryAsync(u => u.UserName!, u => u.Id);
        var accounts = await db.Accounts.LongCountAsync();
        var contacts = await db.Contacts.LongCountAsync();
        var engine = postgres ? server!.Version : "SQLite " + await db.Database.SqlQueryRaw<string>("SELECT sqlite_version() AS \"Value\"").SingleAsync();
        // The bare replay connects with the app's settings (prepared statements, the same pool size, and the generic plans a list
        // request runs with: AppDb.ReadListAsync), so the ratio is the app's own overhead rather than a difference in settings.
        var bareConnectionString = postgres
            ? PostgresAppDb.GenericPlans(DataSetup.PostgresConnectionString(appConnectionString))
            : connectionString;
        Func<System.Data.Common.DbConnection> connect = postgres ? () => new NpgsqlConnection(bareConnectionString) : () => new SqliteConnection(connectionString);

        var results = new List<ScenarioResult>();
        var scenarios = Scenarios().Where(s => o.Match is null || $"{s.User} {s.Name}".Contains(o.Match, StringComparison.OrdinalIgnoreCase)).ToList();
        // Every scenario once before any is timed: the JIT's second tier compiles what they share in the first seconds of load,
        // which otherwise fell on whichever scenario came first (it measured two to three times the CPU of the next ones).
        foreach (var scenario in scenarios)
            await Load.WrkAsync($"{app.BaseUrl}/api/v1/accounts?{scenario.QueryString()}", tokens[scenario.User], 8, 2);
        foreach (var scenario in scenarios)
        {
            var url = $"{app.BaseUrl}/api/v1/accounts?{scenario.QueryString()}";
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new("Bearer", tokens[scenario.User]);
            var first = await (await http.SendAsync(request)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            var total = first.GetProperty("total").GetInt32();
            var estimate = first.TryGetProperty("totalIsEstimate", out var e) && e.GetBoolean();
            await WarmAsync(app, url, tokens[scenario.User], o.Clients);
            var (appCpu, dbCpu) = (app.CpuSeconds(), server?.CpuSeconds());
            var httpLatency = await Load.WrkAsync(url, tokens[scenario.User], o.Clients, o.Seconds);
            var appCpuMs = (app.CpuSeconds() - appCpu) * 1000 / Math.Max(1, httpLatency.Requests);
            double? dbCpuMs = server is null ? null : (server.CpuSeconds() - dbCpu!.Value) * 1000 / Math.Max(1, httpLatency.Requests);
            var sqlLatency = o.HttpOnly
                ? new Latency(double.NaN, double.NaN, 0, 0, 0)
                : await Load.SqlAsync(connect, await CaptureAsync(db, scenario, userIds[scenario.User]), o.Clients, o.Seconds);
            Console.WriteLine($"   {scenario.User,-15} {scenario.Name,-48} total {total,7}{(estimate ? "+" : " ")} http p50 {httpLatency.MedianMs,7:F2} p99 {httpLatency.P99Ms,7:F2} | sql p50 {sqlLatency.MedianMs,7:F2} p99 {sqlLatency.P99Ms,7:F2} | cpu/req app {appCpuMs:F2}{(dbCpuMs is { } d ? $" db {d:F2}" : "")} ms, {httpLatency.RequestsPerSecond:F0} req/s");
            results.Add(new ScenarioResult(scenario, url, total, estimate, httpLatency, sqlLatency, appCpuMs, dbCpuMs));
        }

        var accountPage = await AccountPageAsync(http, tokens["admin"], await db.Accounts.OrderBy(a => a.Id).Select(a => a.Id).Skip(4242).FirstAsync());
        Console.WriteLine($"   account page: {accountPage}");
        var load = File.ReadAllText("/proc/loadavg").Trim();
        return new ProviderResult(postgres ? "PostgreSQL" : "SQLite", engine, accounts, contacts, generation, startSeconds, results, accountPage, app.Memory(), load);
    }

    /// <summary>
    /// Loads a scenario until the app's CPU per request settles (two 3 s rounds within 10% of each other, at most 8 rounds): the
    /// JIT compiles a scenario's own code paths to their final tier in the background, which on two cores under load took 10–15 s,
    /// and a figure taken earlier measured the code half-compiled (the admin's HZHG at 2.67 ms of CPU per request, 1.6 warm).
    /// </summary>
    private static async Task WarmAsync(AppServer app, string url, string token, int clients)
    {
        double? last = null;
        for (var round = 0; round < 8; round++)
        {
            var cpu = app.CpuSeconds();
            var load = await Load.WrkAsync(url, token, clients, 3);
            var perRequest = (app.CpuSeconds() - cpu) / Math.Max(1, load.Requests);
            if (last is { } previous && Math.Abs(perRequest - previous) <= 0.1 * previous) return;
            last = perRequest;
        }
    }

    private static async Task<string> AccountPageAsync(HttpClient http, string token, long id)
    {
        var times = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/accounts/{id}");
            request.Headers.Authorization = new("Bearer", token);
            var watch = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) return $"not measured: GET /accounts/{id} answered {(int)response.StatusCode} in this build";
            if (i > 0) times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var l = Latency.From(times, 1, 0);
        return $"GET /accounts/{id}: median {l.MedianMs:F1} ms, max {times.Max():F1} ms over {times.Count} sequential renders";
    }

    internal static AppDb Context(bool postgres, string connectionString) => postgres
        ? new PostgresAppDb(new DbContextOptionsBuilder<PostgresAppDb>().UseNpgsql(connectionString).Options)
        : new SqliteAppDb(new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite(connectionString).Options);

    /// <summary>The statements ListAccounts runs for this request, captured from the same query code.</summary>
    private static async Task<SqlRequest> CaptureAsync(AppDb db, Scenario scenario, string userId)
    {
        var role = scenario.User == "admin" ? Roles.Admin : scenario.User.StartsWith("gen-manager") ? Roles.Manager : Roles.Rep;
        var user = CurrentUser.For(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Role, role)], "bench")));
        var q = scenario.Query;
        var (page, size) = Paging.Normalize(q.Page, q.PageSize);
        var filtered = await ListAccounts.FilterAsync(q, db, user, CancellationToken.None);
        var inner = SqlStatement.From(filtered.Take(ListAccounts.CountLimit + 1).Select(a => a.Id).CreateDbCommand());
        var count = inner with { Text = $"SELECT COUNT(*) FROM ({inner.Text}) AS counted" };
        // Counted as the endpoint does: for a counted search (AccountSearch.IsCounted), and only while a full page does not reach past the count limit.
        var skipped = (page - 1) * size;
        var counts = ListAccounts.Counts(q, user, skipped, size);
        // A counted search on PostgreSQL reads its ids on to the count limit instead of a count statement, then the page's rows
        // (captured with this page's ids), as the endpoint does.
        var shape = ListAccounts.Shape(db, user, q);
        var atOnce = counts && shape.ReadsMatchesAtOnce;
        // Otherwise the page, with its count as a scalar subquery where the endpoint reads it so (ListShape.CountsWithPage).
        if (!atOnce)
        {
            var withCount = counts && shape.CountsWithPage;
            var statement = withCount
                ? ListAccounts.CountedPage(db, filtered, q, user, skipped, size).CreateDbCommand()
                : ListAccounts.Page(db, filtered, q, user, skipped, size).CreateDbCommand();
            return new SqlRequest(SqlStatement.From(statement), counts && !withCount ? count : null, size);
        }
        var idsQuery = ListAccounts.PageIds(filtered, q, skipped, ListAccounts.CountLimit + 1 - skipped);
        var ids = await idsQuery.ToListAsync();
        var rows = ListAccounts.RowsOfPage(db, ids.Take(size).ToList(), q).CreateDbCommand();
        return new SqlRequest(SqlStatement.From(idsQuery.CreateDbCommand()), null, size) { Rows = SqlStatement.From(rows) };
    }

    internal static async Task<long> CountGeneratedAsync(bool postgres, string connectionString)
    {
        try
        {
            await using var db = Context(postgres, connectionString);
            if (!postgres && !File.Exists(new SqliteConnectionStringBuilder(connectionString).DataSource)) return 0;
            return await db.Accounts.LongCountAsync(a => a.Code.StartsWith("G") && a.Code.Length == 8);
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException or InvalidOperationException)
        {
            return 0;
        }
    }
}
