using System.Data.Common;
using System.Linq.Expressions;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KeyAccounts.Data;

/// <summary>
/// How the account list reads a page (<see cref="SqlDialect.ListShape"/>): the one place where the engines' list plans differ.
/// </summary>
/// <param name="ReadsMatchesAtOnce">
/// A counted search reads its matches on to the count limit at once instead of a page and a count (PostgreSQL, where the index
/// lookups of the match are the costly part: made once per request instead of twice, and the matches are sorted for the page anyway).
/// </param>
/// <param name="CountsWithPage">
/// A counted page carries its count as a scalar subquery (one statement instead of two): on PostgreSQL, where each statement is a
/// round trip, and on SQLite for a counted search, where each statement costs the app more than the engine. A plain SQLite list
/// counts after a full page only (one statement there gains nothing).
/// </param>
/// <param name="ReadsPageThroughIds">
/// A page's ids come from an index alone, then only those rows are read and joined: always on PostgreSQL (which otherwise walks a
/// company-wide sort index checking each row's owner, or reads every skipped row of a later page), and on SQLite for a book or an
/// indexed search. An admin's plain list on SQLite is cheaper flat: it walks the sort index and reads each row once.
/// </param>
public sealed record ListShape(bool ReadsMatchesAtOnce, bool CountsWithPage, bool ReadsPageThroughIds);

/// <summary>
/// Every engine-specific piece of the app behind one small surface, reached as <see cref="AppDb.Engine"/>: plan and connection
/// settings, search predicates over the name indexes, locking, notifications, bulk writing and loading, and maintenance. Features
/// ask it instead of branching on the engine.
/// </summary>
public abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect Postgres = new PostgresDialect();

    public static SqlDialect For(bool postgres) => postgres ? Postgres : Sqlite;

    /// <summary>The SQL type of a double in hand-written aggregation SQL.</summary>
    public abstract string DoubleType { get; }

    /// <summary>The calendar month of a date column as text ("2026-03") in hand-written SQL: months are counted by it.</summary>
    public abstract string MonthOf(string dateColumn);

    /// <summary>Where the data lives, for the start-up log: never the password.</summary>
    public abstract string Describe(string connectionString);

    /// <param name="wholeCompany">The user sees every account (no book).</param>
    /// <param name="searched">The list has a search term.</param>
    /// <param name="indexedSearch">The search term is long enough for the trigram name index.</param>
    public abstract ListShape ListShape(bool wholeCompany, bool searched, bool indexedSearch);

    /// <summary>
    /// A name fragment matched company-wide: through the trigram index when <paramref name="indexed"/> (SQLite's FTS5 table
    /// <see cref="NameSearchIndex.SqliteTable"/>, PostgreSQL's pg_trgm index under ILIKE), else a plain containment. When
    /// <paramref name="pinyin"/> is given (an indexed term that reads as pinyin), the full pinyin is matched as well, through the
    /// same kind of index.
    /// </summary>
    public abstract Expression<Func<Account, bool>> NameContains(AppDb db, string term, bool indexed, string? pinyin);

    /// <summary>
    /// A name fragment inside a book, matched row by row while the book's name-ordered index is read (which holds the names and
    /// the full pinyin, matched too when <paramref name="pinyin"/> is given).
    /// </summary>
    public abstract Expression<Func<Account, bool>> NameInBookIndex(string term, bool indexed, string? pinyin);

    /// <summary>
    /// The accounts owned by <paramref name="ownerId"/>, in <paramref name="departments"/> (when given) or shared through
    /// <paramref name="shared"/>, in the form the engine's planner serves with index lookups.
    /// </summary>
    public abstract IQueryable<Account> OwnedOrShared(IQueryable<Account> accounts, AppDb db, string ownerId, IQueryable<int>? departments, IQueryable<long> shared);

    /// <summary>
    /// These users, read so that a concurrent change of one of them waits for the current transaction (PostgreSQL <c>FOR SHARE</c>;
    /// SQLite's write transactions are one at a time anyway).
    /// </summary>
    public abstract IQueryable<AppUser> UsersLockedForShare(AppDb db, string[] ids);

    /// <summary>
    /// A transaction in which writers of <paramref name="table"/> run one at a time while readers pass: SQLite's transaction takes
    /// the write lock at its start (BEGIN IMMEDIATE); PostgreSQL locks the table in SHARE ROW EXCLUSIVE mode.
    /// </summary>
    public abstract Task<IDbContextTransaction> BeginSerializedWritesAsync(AppDb db, string table, CancellationToken ct);

    /// <summary>Tells the other nodes on <paramref name="channel"/> when the current transaction commits (PostgreSQL NOTIFY; one node on SQLite).</summary>
    public abstract Task NotifyAsync(AppDb db, string channel, CancellationToken ct);

    /// <summary>
    /// Tells the other nodes on <paramref name="channel"/> about <paramref name="payload"/> (a user's id) when the current transaction
    /// commits, or at once outside one (PostgreSQL <c>pg_notify</c>; nothing on SQLite, one node).
    /// </summary>
    public abstract Task NotifyAsync(AppDb db, string channel, string payload, CancellationToken ct);

    /// <summary>
    /// Settings for a large import on the context's open connection: on SQLite a page cache of 256 MB, so that rows landing in
    /// several secondary indexes in no particular order do not make it re-read their pages (the pool resets the size when the
    /// connection is next opened). Nothing on PostgreSQL.
    /// </summary>
    public abstract Task PrepareForBulkImportAsync(AppDb db, CancellationToken ct);

    /// <summary>The writer of many rows inside the context's transaction (<see cref="Data.BulkWriter"/>).</summary>
    public abstract BulkWriter BulkWriter(AppDb db);

    /// <summary>
    /// Loads rows that carry their ids, outside the change tracker, the audit log and any caller's transaction, the fastest way the
    /// engine has (the <c>generate</c> command); the key's sequence then follows the rows.
    /// </summary>
    /// <param name="progress">Told the number of rows written after each <paramref name="rowsPerStep"/>.</param>
    public abstract Task BulkLoadAsync<T>(AppDb db, BulkTable<T> table, IEnumerable<T> rows, int rowsPerStep, Action<long>? progress, CancellationToken ct)
        where T : class;

    /// <summary>
    /// Drops the secondary indexes (and SQLite's name-search triggers) of these tables before a big load; returns the statements that
    /// create them again, indexes first (<see cref="RebuildIndexesAsync"/>).
    /// </summary>
    public abstract Task<List<string>> DropSecondaryIndexesAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken ct);

    /// <summary>Creates dropped indexes again (and refills SQLite's name index); <paramref name="largeMemory"/> gives the sorts more memory on this connection.</summary>
    public abstract Task RebuildIndexesAsync(DbConnection connection, IReadOnlyList<string> definitions, bool largeMemory, CancellationToken ct);

    /// <summary>Fresh planner statistics after a big load (PostgreSQL also sets the visibility map for index-only scans).</summary>
    public abstract Task AnalyzeAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken ct);

    /// <summary>After the migrations at start-up: engine settings and indexes that live outside the EF model.</summary>
    /// <param name="applied">Whether migrations were applied just now (new indexes then need statistics).</param>
    public abstract Task AfterMigrationsAsync(AppDb db, bool applied, CancellationToken ct);

    protected static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    protected static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>Whether a fragment has no letters with a case (Chinese characters, digits): it then matches without folding names.</summary>
    protected static bool Caseless(string term) => term.All(c => char.ToUpperInvariant(c) == c && char.ToLowerInvariant(c) == c);
}
