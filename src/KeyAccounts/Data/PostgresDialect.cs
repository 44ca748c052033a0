using System.Data.Common;
using System.Linq.Expressions;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace KeyAccounts.Data;

public sealed class PostgresDialect : SqlDialect
{

    public override string DoubleType => "double precision";

    public override string MonthOf(string dateColumn) => $"to_char({dateColumn}, 'YYYY-MM')";

    public override string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }

    public override ListShape ListShape(bool wholeCompany, bool searched, bool indexedSearch) =>
        new(ReadsMatchesAtOnce: indexedSearch, CountsWithPage: true, ReadsPageThroughIds: true);

    /// <summary>ILIKE on the name and LIKE on the (lower-case) full pinyin, each served by its own pg_trgm index (a bitmap OR).</summary>
    public override Expression<Func<Account, bool>> NameContains(AppDb db, string term, bool indexed, string? pinyin)
    {
        if (!indexed) return a => a.Name.Contains(term);
        var pattern = "%" + EscapeLike(term) + "%";
        if (pinyin is null) return a => EF.Functions.ILike(a.Name, pattern, "\\");
        var spelled = "%" + EscapeLike(pinyin) + "%";
        return a => EF.Functions.ILike(a.Name, pattern, "\\") || EF.Functions.Like(a.NamePinyin!, spelled, "\\");
    }

    /// <summary>
    /// The name is written as <c>"Name" || ''</c>, an expression the trigram index does not serve: given the bare name, the planner
    /// takes that index for a common fragment (tens of thousands of matches company-wide) and drops the rows outside the book.
    /// ILIKE as the trigram search does; a fragment without letters that have a case goes by plain LIKE, without folding names.
    /// </summary>
    public override Expression<Func<Account, bool>> NameInBookIndex(string term, bool indexed, string? pinyin)
    {
        if (!indexed) return a => a.Name.Contains(term);
        var pattern = "%" + EscapeLike(term) + "%";
        Expression<Func<Account, bool>> named = Caseless(term)
            ? a => EF.Functions.Like(a.Name + "", pattern, "\\")
            : a => EF.Functions.ILike(a.Name + "", pattern, "\\");
        if (pinyin is null) return named;
        var spelled = "%" + EscapeLike(pinyin) + "%";
        return KeyAccounts.Infrastructure.Predicates.Or(named, a => EF.Functions.Like(a.NamePinyin + "", spelled, "\\"));
    }

    /// <summary>The book as a union of id lookups: PostgreSQL cannot combine index lookups when an arm of an OR is a subquery.</summary>
    public override IQueryable<Account> OwnedOrShared(IQueryable<Account> accounts, AppDb db, string me, IQueryable<int>? departments, IQueryable<long> shared)
    {
        var ids = db.Accounts.Where(a => a.OwnerId == me).Select(a => a.Id).Concat(shared);
        if (departments is not null) ids = ids.Concat(db.Accounts.Where(a => departments.Contains(a.DepartmentId!.Value)).Select(a => a.Id));
        return accounts.Where(a => ids.Contains(a.Id));
    }

    public override IQueryable<AppUser> UsersLockedForShare(AppDb db, string[] chunk) =>
        db.Users.FromSql($"""SELECT * FROM "AspNetUsers" WHERE "Id" = ANY({chunk}) FOR SHARE""");

    public override async Task<IDbContextTransaction> BeginSerializedWritesAsync(AppDb db, string table, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var lockTable = $"LOCK TABLE \"{table}\" IN SHARE ROW EXCLUSIVE MODE";
            await db.Database.ExecuteSqlRawAsync(lockTable, ct);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    public override async Task NotifyAsync(AppDb db, string channel, CancellationToken ct)
    {
        var notify = $"SELECT pg_notify('{channel}', '')";
        await db.Database.ExecuteSqlRawAsync(notify, ct);
    }

    public override async Task NotifyAsync(AppDb db, string channel, string payload, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({channel}, {payload})", ct);

    /// <summary>
    /// An import checks each batch against tables its own transaction is filling: a plan cached from the first batches (an
    /// almost empty table, a parameter array searched row by row) would scan the grown table for every key of the next ones.
    /// Planned with the values each time, the lookups stay index probes. SET LOCAL ends with the transaction.
    /// </summary>
    public override async Task PrepareForBulkImportAsync(AppDb db, CancellationToken ct) =>
        await db.Database.ExecuteSqlRawAsync("SET LOCAL plan_cache_mode = force_custom_plan", ct);

    public override BulkWriter BulkWriter(AppDb db) => new PostgresBulkWriter(db);

    /// <summary>One binary COPY of every row (a statement of its own: all or nothing), then the key's sequence set past the rows.</summary>
    public override async Task BulkLoadAsync<T>(AppDb db, BulkTable<T> table, IEnumerable<T> rows, int rowsPerStep, Action<long>? progress, CancellationToken ct)
    {
        await BulkWriter(db).InsertAsync(table, Counted(rows, rowsPerStep, progress), ct);
        var (name, key) = (table.Name, table.Key.Name);
        await ExecuteAsync(db.Database.GetDbConnection(),
            $"""SELECT setval(pg_get_serial_sequence('"{name}"', '{key}'), GREATEST(1, (SELECT coalesce(max("{key}"), 0) FROM "{name}")))""", ct);
    }

    private static IEnumerable<T> Counted<T>(IEnumerable<T> rows, int step, Action<long>? progress)
    {
        long n = 0;
        foreach (var row in rows)
        {
            if (n > 0 && n % step == 0) progress?.Invoke(n);
            yield return row;
            n++;
        }
        progress?.Invoke(n);
    }

    public override async Task<List<string>> DropSecondaryIndexesAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken ct)
    {
        var definitions = new List<(string Name, string Sql)>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() " +
                               $"AND tablename IN ({string.Join(", ", tables.Select(t => $"'{t}'"))}) AND indexname NOT LIKE 'PK\\_%'";
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) definitions.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (name, _) in definitions) await ExecuteAsync(connection, $"DROP INDEX \"{name}\"", ct);
        return [.. definitions.Select(d => d.Sql)];
    }

    /// <summary><paramref name="largeMemory"/> raises maintenance_work_mem for the session: only the <c>generate</c> command does, in its own process.</summary>
    public override async Task RebuildIndexesAsync(DbConnection connection, IReadOnlyList<string> definitions, bool largeMemory, CancellationToken ct)
    {
        if (largeMemory) await ExecuteAsync(connection, "SET maintenance_work_mem = '512MB'", ct);
        foreach (var sql in definitions) await ExecuteAsync(connection, sql, ct);
    }

    /// <summary>VACUUM refuses to run inside a batch, so each table goes on its own; it also sets the visibility map for index-only scans.</summary>
    public override async Task AnalyzeAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken ct)
    {
        foreach (var table in tables) await ExecuteAsync(connection, $"VACUUM (ANALYZE) \"{table}\"", ct);
    }

    /// <summary>A new index has no statistics until the next ANALYZE, and without them the planner may pick it for the wrong query.</summary>
    public override async Task AfterMigrationsAsync(AppDb db, bool applied, CancellationToken ct)
    {
        if (applied) await db.Database.ExecuteSqlRawAsync("ANALYZE;", ct);
    }
}
