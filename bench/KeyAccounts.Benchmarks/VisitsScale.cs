using System.Data.Common;
using System.Diagnostics;
using System.Security.Claims;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Calendar;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace KeyAccounts.Benchmarks;

public sealed record VisitsTiming(string Name, string User, int Rows, double MedianMs, double MaxMs, double SqlMedianMs, int Statements);

public sealed record VisitsResult(string Provider, long Accounts, long KeyAccounts, long Visits, long Tasks, string Generation, IReadOnlyList<VisitsTiming> Timings);

/// <summary>
/// The visits scale run (<c>--scenario visits</c>): accounts from the app's own <c>generate</c>, then visits and follow-up
/// tasks written in bulk by this generator (binary COPY on PostgreSQL, prepared INSERTs in large transactions on SQLite).
/// The coverage board and a rep's calendar month are timed in process through the same use-case functions the API calls
/// (server-side time, no HTTP), and the statements they sent, captured by an EF interceptor, are replayed on the engine.
/// </summary>
public static class VisitsScale
{
    private const int Seed = 2_026_112;
    private const int Runs = 20;

    public static async Task<VisitsResult> RunAsync(string provider, BenchOptions o, int visits, int tasks)
    {
        var postgres = provider.Equals("postgres", StringComparison.OrdinalIgnoreCase);
        var directory = Path.Combine(o.DataDirectory, $"{(postgres ? "postgres" : "sqlite")}-visits-{o.Accounts}");
        Directory.CreateDirectory(directory);
        await using var server = postgres ? await PostgresServer.StartAsync(directory) : null;
        var connectionString = server?.ConnectionString("keyaccounts_visits") ?? $"Data Source={Path.Combine(directory, "keyaccounts.db")}";
        var env = AppServer.Environment(postgres ? "Postgres" : "Sqlite", connectionString);

        var generation = new List<string>();
        await using (var check = Context(postgres, connectionString, null))
        {
            // Reused data gets the migrations added since it was generated (a fresh database gets them from `generate`).
            if (await SafeCountAsync(() => check.Accounts.LongCountAsync()) > 0) await check.Database.MigrateAsync();
            var have = await SafeCountAsync(() => check.Accounts.LongCountAsync(a => a.Code.StartsWith("G") && a.Code.Length == 8));
            if (have < o.Accounts)
            {
                Console.WriteLine($"   generating {o.Accounts - have:N0} accounts");
                await Processes.RunAsync("dotnet", [o.AppDll, "generate", "--accounts", (o.Accounts - have).ToString(), "--contacts-per-account", "1"], env, echo: true);
            }
        }
        await using var db = Context(postgres, connectionString, null);
        var haveVisits = await db.Visits.LongCountAsync();
        var haveTasks = await db.FollowUpTasks.LongCountAsync();
        if (haveVisits < visits || haveTasks < tasks)
        {
            var watch = Stopwatch.StartNew();
            var newVisits = (int)Math.Max(0, visits - haveVisits);
            var newTasks = (int)Math.Max(0, tasks - haveTasks);
            await GenerateAsync(db, postgres, newVisits, newTasks);
            generation.Add($"{newVisits:N0} visits and {newTasks:N0} tasks written in {watch.Elapsed.TotalSeconds:N0} s");
        }
        else
        {
            generation.Add("reused existing data");
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
        }

        var accounts = await db.Accounts.LongCountAsync();
        var keyAccounts = await db.Accounts.LongCountAsync(a => a.Tier == Tier.Key);
        var visitCount = await db.Visits.LongCountAsync();
        var taskCount = await db.FollowUpTasks.LongCountAsync();
        Console.WriteLine($"   {accounts:N0} accounts ({keyAccounts:N0} key), {visitCount:N0} visits, {taskCount:N0} tasks");

        var admin = await UserAsync(db, "admin", Roles.Admin);
        var manager = await UserAsync(db, "gen-manager-01", Roles.Manager);
        var rep = await UserAsync(db, "gen-rep-001", Roles.Rep);
        var clock = TimeProvider.System;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        Func<DbConnection> connect = postgres ? () => new NpgsqlConnection(connectionString) : () => new SqliteConnection(connectionString);

        var timings = new List<VisitsTiming>
        {
            await TimeAsync("coverage board, key accounts, this quarter, page 1", "admin", postgres, connectionString, connect, async d =>
                ((Microsoft.AspNetCore.Http.HttpResults.Ok<CoverageBoard>)(await GetCoverage.LoadAsync(new GetCoverage.Query(), d, admin, clock, 0, 25, default)).Result).Value!.Rows.Total),
            await TimeAsync("coverage board, key accounts, this year, gaps only", "admin", postgres, connectionString, connect, async d =>
                ((Microsoft.AspNetCore.Http.HttpResults.Ok<CoverageBoard>)(await GetCoverage.LoadAsync(new GetCoverage.Query(new DateOnly(today.Year, 1, 1), new DateOnly(today.Year, 12, 31), GapsOnly: true), d, admin, clock, 0, 25, default)).Result).Value!.Rows.Total),
            await TimeAsync("coverage board, key accounts of a department", "gen-manager-01", postgres, connectionString, connect, async d =>
                ((Microsoft.AspNetCore.Http.HttpResults.Ok<CoverageBoard>)(await GetCoverage.LoadAsync(new GetCoverage.Query(), d, manager, clock, 0, 25, default)).Result).Value!.Rows.Total),
            await TimeAsync("calendar month (visits and tasks)", "gen-rep-001", postgres, connectionString, connect, async d =>
                (await GetCalendar.EntriesAsync(d, rep, monthStart.AddDays(-6), monthStart.AddMonths(1).AddDays(6), today, default)).Count),
            await TimeAsync("calendar month of a manager", "gen-manager-01", postgres, connectionString, connect, async d =>
                (await GetCalendar.EntriesAsync(d, manager, monthStart.AddDays(-6), monthStart.AddMonths(1).AddDays(6), today, default)).Count),
        };
        return new VisitsResult(postgres ? "PostgreSQL" : "SQLite", accounts, keyAccounts, visitCount, taskCount, string.Join("; ", generation), timings);
    }

    private static async Task<long> SafeCountAsync(Func<Task<long>> count)
    {
        try { return await count(); }
        catch (Exception e) when (e is NpgsqlException or SqliteException or InvalidOperationException) { return 0; }
    }

    private static async Task<CurrentUser> UserAsync(AppDb db, string userName, string role)
    {
        var id = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        return CurrentUser.For(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Role, role)], "bench")));
    }

    /// <summary>Median and max of <see cref="Runs"/> in-process runs after a warm-up, then the captured statements replayed on the engine the same number of times.</summary>
    private static async Task<VisitsTiming> TimeAsync(string name, string user, bool postgres, string connectionString, Func<DbConnection> connect, Func<AppDb, Task<int>> run)
    {
        var capture = new Capture();
        int rows;
        await using (var warm = Context(postgres, connectionString, capture)) rows = await run(warm);
        var statements = capture.Statements.ToList();
        var times = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            await using var d = Context(postgres, connectionString, null);
            var watch = Stopwatch.StartNew();
            await run(d);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var sqlTimes = new List<double>();
        await using (var connection = connect())
        {
            await connection.OpenAsync();
            for (var i = 0; i <= Runs; i++)
            {
                var watch = Stopwatch.StartNew();
                foreach (var s in statements)
                {
                    await using var command = s.Prepare(connection);
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                        for (var c = 0; c < reader.FieldCount; c++) reader.GetValue(c);
                }
                if (i > 0) sqlTimes.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        times.Sort();
        sqlTimes.Sort();
        var timing = new VisitsTiming(name, user, rows, times[times.Count / 2], times[^1], sqlTimes[sqlTimes.Count / 2], statements.Count);
        Console.WriteLine($"   {user,-15} {name,-55} rows {rows,6}  median {timing.MedianMs,8:F1} ms  max {timing.MaxMs,8:F1} ms | sql {timing.SqlMedianMs,8:F1} ms ({timing.Statements} statements)");
        return timing;
    }

    private sealed class Capture : DbCommandInterceptor
    {
        public List<SqlStatement> Statements { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Statements.Add(SqlStatement.From(command));
            return ValueTask.FromResult(result);
        }
    }

    private static AppDb Context(bool postgres, string connectionString, IInterceptor? capture)
    {
        if (postgres)
        {
            var b = new DbContextOptionsBuilder<PostgresAppDb>().UseNpgsql(connectionString);
            if (capture is not null) b.AddInterceptors(capture);
            return new PostgresAppDb(b.Options);
        }
        var s = new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite(connectionString);
        if (capture is not null) s.AddInterceptors(capture);
        return new SqliteAppDb(s.Options);
    }

    /// <summary>
    /// Visits: half on key accounts (so a key account has ~200 over three years), the rest spread over all; 85% recorded
    /// (visit day = planned day) over the last three years, 15% planned over the next three months; one in ten has a
    /// colleague along. Tasks: on any account, owned by its owner, due over the same span, 70% done.
    /// </summary>
    private static async Task GenerateAsync(AppDb db, bool postgres, int visits, int tasks)
    {
        var accounts = await db.Accounts.OrderBy(a => a.Id).Select(a => new { a.Id, a.OwnerId, a.Tier }).ToListAsync();
        var key = accounts.Where(a => a.Tier == Tier.Key).ToList();
        var owners = accounts.Select(a => a.OwnerId).Distinct().ToArray();
        var random = new Random(Seed);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var now = DateTime.UtcNow;
        var firstVisitId = (await db.Visits.MaxAsync(v => (long?)v.Id) ?? 0) + 1;

        IEnumerable<(long Id, long AccountId, string OwnerId, string Level, string Status, DateOnly PlannedOn, DateOnly? VisitedOn, string? Companion)> Visits()
        {
            for (var i = 0; i < visits; i++)
            {
                var a = i % 2 == 0 && key.Count > 0 ? key[random.Next(key.Count)] : accounts[random.Next(accounts.Count)];
                var done = random.Next(100) < 85;
                var on = done ? today.AddDays(-random.Next(1, 1095)) : today.AddDays(random.Next(-10, 90));
                var level = random.Next(10) switch { 0 => "Leadership", < 4 => "Technical", _ => "Business" };
                yield return (firstVisitId + i, a.Id, a.OwnerId, level, done ? "Done" : "Planned", on, done ? on : null,
                    random.Next(10) == 0 ? owners[random.Next(owners.Length)] : null);
            }
        }

        IEnumerable<(long AccountId, string OwnerId, DateOnly DueOn, string Status)> Tasks()
        {
            for (var i = 0; i < tasks; i++)
            {
                var a = accounts[random.Next(accounts.Count)];
                var due = today.AddDays(random.Next(-1095, 90));
                yield return (a.Id, a.OwnerId, due, random.Next(10) < 7 ? "Done" : "Open");
            }
        }

        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        if (postgres)
        {
            var pg = (NpgsqlConnection)connection;
            await using (var visitWriter = await pg.BeginBinaryImportAsync(
                "COPY \"Visits\" (\"Id\", \"AccountId\", \"Level\", \"Status\", \"PlannedOn\", \"Purpose\", \"OwnerId\", \"VisitedOn\", \"CreatedAt\", \"Version\") FROM STDIN (FORMAT BINARY)"))
            await using (var attendeeWriter = await new NpgsqlConnection(pg.ConnectionString).OpenAndImportAsync(
                "COPY \"VisitAttendees\" (\"VisitId\", \"UserId\", \"Day\") FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var v in Visits())
                {
                    await visitWriter.StartRowAsync();
                    await visitWriter.WriteAsync(v.Id, NpgsqlDbType.Bigint);
                    await visitWriter.WriteAsync(v.AccountId, NpgsqlDbType.Bigint);
                    await visitWriter.WriteAsync(v.Level, NpgsqlDbType.Varchar);
                    await visitWriter.WriteAsync(v.Status, NpgsqlDbType.Varchar);
                    await visitWriter.WriteAsync(v.PlannedOn, NpgsqlDbType.Date);
                    await visitWriter.WriteAsync("例行拜访", NpgsqlDbType.Varchar);
                    await visitWriter.WriteAsync(v.OwnerId, NpgsqlDbType.Varchar);
                    if (v.VisitedOn is { } d) await visitWriter.WriteAsync(d, NpgsqlDbType.Date); else await visitWriter.WriteNullAsync();
                    await visitWriter.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await visitWriter.WriteAsync(1, NpgsqlDbType.Integer);
                    foreach (var userId in new[] { v.OwnerId, v.Companion }.Where(u => u is not null).Distinct())
                    {
                        await attendeeWriter.Writer.StartRowAsync();
                        await attendeeWriter.Writer.WriteAsync(v.Id, NpgsqlDbType.Bigint);
                        await attendeeWriter.Writer.WriteAsync(userId!, NpgsqlDbType.Varchar);
                        await attendeeWriter.Writer.WriteAsync(v.VisitedOn ?? v.PlannedOn, NpgsqlDbType.Date);
                    }
                }
                await visitWriter.CompleteAsync();
                await attendeeWriter.Writer.CompleteAsync();
            }
            await using (var cmd = new NpgsqlCommand("SELECT setval(pg_get_serial_sequence('\"Visits\"', 'Id'), (SELECT MAX(\"Id\") FROM \"Visits\"))", pg))
                await cmd.ExecuteNonQueryAsync();
            await using (var taskWriter = await pg.BeginBinaryImportAsync(
                "COPY \"FollowUpTasks\" (\"AccountId\", \"Title\", \"OwnerId\", \"DueOn\", \"Status\", \"CreatedAt\", \"Version\") FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var t in Tasks())
                {
                    await taskWriter.StartRowAsync();
                    await taskWriter.WriteAsync(t.AccountId, NpgsqlDbType.Bigint);
                    await taskWriter.WriteAsync("跟进事项", NpgsqlDbType.Varchar);
                    await taskWriter.WriteAsync(t.OwnerId, NpgsqlDbType.Varchar);
                    await taskWriter.WriteAsync(t.DueOn, NpgsqlDbType.Date);
                    await taskWriter.WriteAsync(t.Status, NpgsqlDbType.Varchar);
                    await taskWriter.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await taskWriter.WriteAsync(1, NpgsqlDbType.Integer);
                }
                await taskWriter.CompleteAsync();
            }
            // VACUUM refuses to run inside a multi-statement batch: one command per table.
            foreach (var table in new[] { "Visits", "VisitAttendees", "FollowUpTasks" })
            {
                await using var analyze = new NpgsqlCommand($"VACUUM (ANALYZE) \"{table}\"", pg) { CommandTimeout = 0 };
                await analyze.ExecuteNonQueryAsync();
            }
        }
        else
        {
            var sqlite = (SqliteConnection)connection;
            await InsertAsync(sqlite, "INSERT INTO Visits (Id, AccountId, Level, Status, PlannedOn, Purpose, OwnerId, VisitedOn, CreatedAt, Version) VALUES ($1, $2, $3, $4, $5, '例行拜访', $6, $7, $8, 1)",
                Visits().SelectMany(v => new[] { (object?[])[v.Id, v.AccountId, v.Level, v.Status, v.PlannedOn.ToString("yyyy-MM-dd"), v.OwnerId, v.VisitedOn?.ToString("yyyy-MM-dd"), now.ToString("yyyy-MM-dd HH:mm:ss")] }
                    .Concat(new[] { v.OwnerId, v.Companion }.Where(u => u is not null).Distinct().Select(u => (object?[])["A", v.Id, u, (v.VisitedOn ?? v.PlannedOn).ToString("yyyy-MM-dd")]))));
            await InsertAsync(sqlite, "INSERT INTO FollowUpTasks (AccountId, Title, OwnerId, DueOn, Status, CreatedAt, Version) VALUES ($1, '跟进事项', $2, $3, $4, $5, 1)",
                Tasks().Select(t => (object?[])[t.AccountId, t.OwnerId, t.DueOn.ToString("yyyy-MM-dd"), t.Status, now.ToString("yyyy-MM-dd HH:mm:ss")]));
            await using var analyze = sqlite.CreateCommand();
            analyze.CommandText = "ANALYZE";
            await analyze.ExecuteNonQueryAsync();
        }
    }

    private static async Task<NpgsqlBinaryImporterHolder> OpenAndImportAsync(this NpgsqlConnection connection, string copy)
    {
        await connection.OpenAsync();
        return new NpgsqlBinaryImporterHolder(connection, await connection.BeginBinaryImportAsync(copy));
    }

    private sealed class NpgsqlBinaryImporterHolder(NpgsqlConnection connection, NpgsqlBinaryImporter writer) : IAsyncDisposable
    {
        public NpgsqlBinaryImporter Writer => writer;

        public async ValueTask DisposeAsync()
        {
            await writer.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Rows marked "A" (visit, user, day) go to VisitAttendees; everything else to the statement given. One transaction per 200,000 rows.</summary>
    private static async Task InsertAsync(SqliteConnection connection, string sql, IEnumerable<object?[]> rows)
    {
        var n = 0;
        DbTransaction? tx = null;
        SqliteCommand? main = null, attendee = null;
        foreach (var row in rows)
        {
            if (tx is null)
            {
                tx = await connection.BeginTransactionAsync();
                main = connection.CreateCommand();
                main.CommandText = sql;
                main.Transaction = (SqliteTransaction)tx;
                attendee = connection.CreateCommand();
                attendee.CommandText = "INSERT OR IGNORE INTO VisitAttendees (VisitId, UserId, Day) VALUES ($1, $2, $3)";
                attendee.Transaction = (SqliteTransaction)tx;
            }
            var isAttendee = row.Length == 4 && row[0] is "A";
            var command = isAttendee ? attendee! : main!;
            var values = isAttendee ? row[1..] : row;
            if (command.Parameters.Count == 0)
                for (var i = 0; i < values.Length; i++) command.Parameters.Add(new SqliteParameter($"${i + 1}", null));
            for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
            await command.ExecuteNonQueryAsync();
            if (++n % 200_000 == 0)
            {
                await tx.CommitAsync();
                await tx.DisposeAsync();
                tx = null;
            }
        }
        if (tx is not null) await tx.CommitAsync();
    }
}
