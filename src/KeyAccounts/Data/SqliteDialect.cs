using System.Data.Common;
using System.Linq.Expressions;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KeyAccounts.Data;

public sealed class SqliteDialect : SqlDialect
{

    public override string DoubleType => "REAL";

    public override string MonthOf(string dateColumn) => $"substr({dateColumn}, 1, 7)";

    public override string Describe(string connectionString) =>
        $"SQLite {Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource)}";

    public override ListShape ListShape(bool wholeCompany, bool searched, bool indexedSearch) =>
        new(ReadsMatchesAtOnce: false, CountsWithPage: searched, ReadsPageThroughIds: !wholeCompany || indexedSearch);

    /// <summary>
    /// An indexed fragment goes to the FTS5 trigram table as a phrase on the name, or on the name or the full pinyin (one MATCH
    /// over both columns; <see cref="SqliteAppDb.AccountNamesMatching"/>).
    /// </summary>
    public override Expression<Func<Account, bool>> NameContains(AppDb db, string term, bool indexed, string? pinyin)
    {
        if (!indexed) return a => a.Name.Contains(term);
        var query = "\"Name\" : " + Phrase(term) + (pinyin is null ? "" : " OR \"NamePinyin\" : " + Phrase(pinyin));
        var named = ((SqliteAppDb)db).AccountNamesMatching(query).Select(m => m.AccountId);
        return a => named.Contains(a.Id);
    }

    private static string Phrase(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// SQLite's LIKE ignores case for Latin letters, as its trigram index does; a fragment without such letters is matched by instr
    /// (a byte search, without folding every name). This beats the FTS5 table even for a Manager's book: the trigram MATCH reads
    /// the fragment's company-wide posting lists, and each match then costs a lookup in the accounts table to sort and page it.
    /// </summary>
    public override Expression<Func<Account, bool>> NameInBookIndex(string term, bool indexed, string? pinyin)
    {
        var pattern = "%" + EscapeLike(term) + "%";
        Expression<Func<Account, bool>> named = Caseless(term) ? a => a.Name.Contains(term) : a => EF.Functions.Like(a.Name, pattern, "\\");
        // The full pinyin is stored in lower case, as the term is given: a byte search.
        return pinyin is null ? named : KeyAccounts.Infrastructure.Predicates.Or(named, a => a.NamePinyin!.Contains(pinyin));
    }

    public override IQueryable<Account> OwnedOrShared(IQueryable<Account> accounts, AppDb db, string me, IQueryable<int>? departments, IQueryable<long> shared) =>
        departments is null
            ? accounts.Where(a => a.OwnerId == me || shared.Contains(a.Id))
            : accounts.Where(a => a.OwnerId == me || departments.Contains(a.DepartmentId!.Value) || shared.Contains(a.Id));

    public override IQueryable<AppUser> UsersLockedForShare(AppDb db, string[] chunk) => db.Users.Where(u => chunk.Contains(u.Id));

    public override async Task<IDbContextTransaction> BeginSerializedWritesAsync(AppDb db, string table, CancellationToken ct) =>
        await db.Database.BeginTransactionAsync(ct);

    public override Task NotifyAsync(AppDb db, string channel, CancellationToken ct) => Task.CompletedTask;

    public override Task NotifyAsync(AppDb db, string channel, string payload, CancellationToken ct) => Task.CompletedTask;

    public override async Task PrepareForBulkImportAsync(AppDb db, CancellationToken ct) =>
        await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-262144", ct);

    public override BulkWriter BulkWriter(AppDb db) => new SqliteBulkWriter(db);

    /// <summary>
    /// The bulk writer's inserts in transactions of <paramref name="rowsPerStep"/> rows, with the log unsynced during the load (a
    /// crash mid-load loses only generated rows). An explicit id moves SQLite's own sequence on.
    /// </summary>
    public override async Task BulkLoadAsync<T>(AppDb db, BulkTable<T> table, IEnumerable<T> rows, int rowsPerStep, Action<long>? progress, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await ExecuteAsync(connection, "PRAGMA synchronous=OFF;", ct);
        var writer = BulkWriter(db);
        long written = 0;
        foreach (var chunk in rows.Chunk(rowsPerStep))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await writer.InsertAsync(table, chunk, ct);
            await transaction.CommitAsync(ct);
            written += chunk.Length;
            progress?.Invoke(written);
        }
        // Back to the durable default; the app's own setting comes back when the pool opens the connection again.
        await ExecuteAsync(connection, "PRAGMA synchronous=FULL;", ct);
    }

    public override async Task<List<string>> DropSecondaryIndexesAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken ct)
    {
        var definitions = new List<(string Name, string Kind, string Sql)>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = $"SELECT name, upper(type), sql FROM sqlite_master WHERE tbl_name IN ({string.Join(", ", tables.Select(t => $"'{t}'"))}) " +
                               "AND type IN ('index', 'trigger') AND sql IS NOT NULL";
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) definitions.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        foreach (var (name, kind, _) in definitions)
            await ExecuteAsync(connection, $"DROP {kind} \"{name}\"", ct);
        return [.. definitions.OrderBy(d => d.Kind == "TRIGGER").Select(d => d.Sql)];
    }

    public override async Task RebuildIndexesAsync(DbConnection connection, IReadOnlyList<string> definitions, bool largeMemory, CancellationToken ct)
    {
        if (largeMemory) await ExecuteAsync(connection, "PRAGMA cache_size=-524288", ct);
        foreach (var sql in definitions) await ExecuteAsync(connection, sql, ct);
        // The name index's triggers were dropped with the indexes: the names loaded meanwhile are indexed in one pass.
        if (definitions.Any(d => d.Contains(NameSearchIndex.SqliteTable, StringComparison.Ordinal)))
            await ExecuteAsync(connection, NameSearchIndex.SqliteRebuild, ct);
        if (largeMemory) await ExecuteAsync(connection, "PRAGMA cache_size=-65536", ct);
    }

    public override Task AnalyzeAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken ct) => ExecuteAsync(connection, "ANALYZE;", ct);

    /// <summary>
    /// WAL mode (kept in the file), the name index's triggers checked (<see cref="NameSearchIndex.EnsureSqliteAsync"/>), and after
    /// new migrations fresh statistics: sampled (analysis_limit) so that this stays seconds at tens of millions of rows, except for
    /// the accounts, whose list plans hang on them (sampled, the tier index looks far more selective than it is, and a Manager's
    /// tier filter would walk it with a table read per entry).
    /// </summary>
    public override async Task AfterMigrationsAsync(AppDb db, bool applied, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await NameSearchIndex.EnsureSqliteAsync(db, ct);
        if (applied) await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=2000; ANALYZE; PRAGMA analysis_limit=0; ANALYZE \"Accounts\";", ct);
    }
}
