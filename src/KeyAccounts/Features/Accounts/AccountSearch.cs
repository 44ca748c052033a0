using System.Linq.Expressions;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// Search by code, name and pinyin initials that stays index-backed at a million accounts. This is the one
/// place where the providers differ: a name fragment of three or more characters goes through a trigram
/// index (SQLite: the FTS5 table <c>AccountNameSearch</c> with the trigram tokenizer, kept in sync by
/// triggers; PostgreSQL: a pg_trgm GIN index). Codes and initials match from the start, as
/// byte-ordered index ranges.
/// </summary>
public static class AccountSearch
{
    /// <summary>The SQLite FTS5 table created by the ScaleSearch migration.</summary>
    public const string SqliteNameIndex = "AccountNameSearch";

    /// <summary>Trigram indexes need three characters; shorter fragments fall back to scanning names in list order.</summary>
    public const int IndexedFragmentLength = 3;

    /// <summary>Whether a name fragment goes through the trigram index (otherwise names are scanned in list order).</summary>
    public static bool IsIndexed(string term) => term.Length >= IndexedFragmentLength;

    /// <summary>
    /// Whether a search's matches are counted (to <see cref="ListAccounts.CountLimit"/>): only a company-wide search by a fragment
    /// the trigram index serves. Inside a book the names are matched while the book is read in name order: the page stops after
    /// its rows, but a total would read on through the book — every name of a Rep's 5,000 for 液压气动 (244 matches), ~28,000 of a
    /// Manager's 50,000 for 精密机械 before the thousandth match (SQLite 2.2 ms, PostgreSQL 13 ms of the engine per request). Such
    /// a search answers a lower bound while its pages are full ("50+"), as a fragment too short for the index does.
    /// </summary>
    public static bool IsCounted(string term, CurrentUser user) => IsIndexed(term) && user.Scope == DataScope.All;

    /// <param name="book">
    /// The user's book (a rep's or a department's; null for a user who sees all): the result then holds only the book's accounts.
    /// A common fragment can match tens of thousands of accounts company-wide, and fetching those only to drop the ones outside
    /// the book is far slower, so inside a book the whole match (code, initials and name) is checked while the book's own
    /// name-ordered index is read (<see cref="NameInBookIndex"/>).
    /// </param>
    public static IQueryable<Account> Matching(this IQueryable<Account> accounts, AppDb db, string term, Book? book)
    {
        var upper = term.ToUpperInvariant();
        var (from, to) = PrefixRange(upper);
        Expression<Func<Account, bool>> codes = a => string.Compare(a.Code, from) >= 0 && string.Compare(a.Code, to) < 0;
        // Codes are kept as entered: one with lower-case letters (PRB-b80902) is found by its prefix as typed, the usual
        // upper-case ones also when typed in lower case. Both are byte-ordered ranges on both engines.
        if (upper != term)
        {
            var (typedFrom, typedTo) = PrefixRange(term);
            codes = Predicates.Or(codes, a => string.Compare(a.Code, typedFrom) >= 0 && string.Compare(a.Code, typedTo) < 0);
        }
        var initials = PinyinInitials.Of(term);
        Expression<Func<Account, bool>>? byInitials = initials.Length > 1 && initials == upper
            ? a => string.Compare(a.NameInitials, from) >= 0 && string.Compare(a.NameInitials, to) < 0
            : null;
        var prefixes = byInitials is null ? codes : Predicates.Or(codes, byInitials);
        if (book is null) return accounts.Where(Predicates.Or(prefixes, NameContains(db, term)));
        // Inside a book the engine reads the book in name order from its owner- or department-led name index, which carries the
        // code and the initials too (AccountConfiguration.ConfigureBookIndex), checks every arm of the match on each entry and
        // stops at the page (such a search is not counted: IsCounted). Without those columns in the index an arm on the code or
        // the initials made the engine read the whole book from the wide book index and sort it (a Manager's 精密机械: 10.5
        // instead of 0.4 ms for the page), so each arm was first probed company-wide, a statement per arm and request.
        return accounts.In(book).Where(Predicates.Or(prefixes, NameInBookIndex(db, term)));
    }

    /// <summary>
    /// Whether a page of a counted search reads its matches on to the count limit at once (instead of a page and a count): on
    /// PostgreSQL, where the index lookups of the match (the OR of code, initials and trigram arms) are the costly part, they are
    /// then made once per request instead of twice, and the matches are sorted for the page anyway. A counted search is a
    /// company-wide one (<see cref="IsCounted"/>). On SQLite the lookups are cheap beside the app's cost of a second statement, and
    /// a counted search is one statement with its count (<see cref="ListAccounts.CountsWithPage"/>).
    /// </summary>
    public static bool ReadsMatchesAtOnce(AppDb db, string? search) => db.IsPostgres && search is { } s && IsIndexed(s);

    private static Expression<Func<Account, bool>> NameContains(AppDb db, string term)
    {
        if (!IsIndexed(term)) return a => a.Name.Contains(term);
        if (db.IsPostgres)
        {
            var pattern = "%" + EscapeLike(term) + "%";
            return a => EF.Functions.ILike(a.Name, pattern, "\\");
        }
        var phrase = "\"" + term.Replace("\"", "\"\"") + "\"";
        var named = ((SqliteAppDb)db).AccountNamesMatching(phrase).Select(m => m.AccountId);
        return a => named.Contains(a.Id);
    }

    /// <summary>
    /// A name fragment inside a book, matched row by row while the book index is read, which holds the names (SQLite, or a
    /// fragment too short for the trigram index). SQLite's LIKE ignores case for Latin letters, as its trigram index does. On
    /// SQLite this beats its FTS5 table even for a Manager's book: the trigram MATCH reads the fragment's company-wide posting
    /// lists (~5 ms for 精密机械), and each match then costs a lookup in the accounts table to sort and page it.
    /// </summary>
    /// <remarks>
    /// On PostgreSQL the name is written as <c>"Name" || ''</c>, an expression the trigram index does not serve: given the bare
    /// name, the planner takes that index for a common fragment (tens of thousands of matches company-wide) and drops the rows
    /// outside the department.
    /// </remarks>
    private static Expression<Func<Account, bool>> NameInBookIndex(AppDb db, string term) =>
        !db.IsPostgres ? NameLike(isPostgres: false, term) : IsIndexed(term) ? NameLike(isPostgres: true, term, walked: true) : a => a.Name.Contains(term);

    /// <summary>
    /// A fragment with letters that have a case: SQLite's LIKE (case ignored for Latin letters), PostgreSQL's ILIKE as its trigram
    /// search does. Without them (Chinese characters, digits) the same matches without folding every name: PostgreSQL's plain
    /// LIKE, SQLite's instr (a byte search: a Manager's 精密机械 counts its 50,000 names in 6.8 instead of 12.3 ms).
    /// </summary>
    /// <param name="walked">PostgreSQL: the names are read along a name-ordered index (<see cref="NameInBookIndex"/>).</param>
    private static Expression<Func<Account, bool>> NameLike(bool isPostgres, string term, bool walked = false)
    {
        var pattern = "%" + EscapeLike(term) + "%";
        var caseless = term.All(c => char.ToUpperInvariant(c) == c && char.ToLowerInvariant(c) == c);
        if (!isPostgres) return caseless ? a => a.Name.Contains(term) : a => EF.Functions.Like(a.Name, pattern, "\\");
        if (walked) return caseless ? a => EF.Functions.Like(a.Name + "", pattern, "\\") : a => EF.Functions.ILike(a.Name + "", pattern, "\\");
        return caseless ? a => EF.Functions.Like(a.Name, pattern, "\\") : a => EF.Functions.ILike(a.Name, pattern, "\\");
    }

    /// <summary>Every string that starts with <paramref name="prefix"/> sorts in [prefix, prefix + U+FFFF) byte-wise (SQLite BINARY, PostgreSQL "C").</summary>
    private static (string From, string To) PrefixRange(string prefix) => (prefix, prefix + '\uffff');

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>
    /// SQLite's half of the search model: the FTS5 table <c>AccountNameSearch</c> (created by the ScaleSearch migration, outside
    /// the EF model) is read as a table-valued function, <c>"AccountNameSearch"(@query)</c>, which FTS5 answers like
    /// <c>MATCH @query</c>. Mapped this way the search is an ordinary query that EF caches; a raw <c>SqlQuery</c> with a parameter
    /// made EF generate the whole statement's SQL again on every request (~7% of a SQLite search's CPU).
    /// </summary>
    public static void ConfigureSqlite(ModelBuilder builder)
    {
        builder.Entity<AccountNameMatch>(b =>
        {
            b.HasNoKey();
            b.ToTable((string?)null);
            b.Property(m => m.AccountId).HasColumnName("rowid");
        });
        builder.HasDbFunction(typeof(SqliteAppDb).GetMethod(nameof(SqliteAppDb.AccountNamesMatching))!).HasName(SqliteNameIndex);
    }

    /// <summary>
    /// The triggers that keep SQLite's <c>AccountNameSearch</c> in step with <c>Accounts</c>, as the ScaleSearch migration created
    /// them (<c>IF NOT EXISTS</c> here).
    /// </summary>
    private const string SqliteNameIndexTriggers = """
        CREATE TRIGGER IF NOT EXISTS "Accounts_NameSearch_Insert" AFTER INSERT ON "Accounts" BEGIN
            INSERT INTO "AccountNameSearch"(rowid, "Name") VALUES (new."Id", new."Name");
        END;
        CREATE TRIGGER IF NOT EXISTS "Accounts_NameSearch_Delete" AFTER DELETE ON "Accounts" BEGIN
            INSERT INTO "AccountNameSearch"("AccountNameSearch", rowid, "Name") VALUES ('delete', old."Id", old."Name");
        END;
        CREATE TRIGGER IF NOT EXISTS "Accounts_NameSearch_Update" AFTER UPDATE OF "Name" ON "Accounts" BEGIN
            INSERT INTO "AccountNameSearch"("AccountNameSearch", rowid, "Name") VALUES ('delete', old."Id", old."Name");
            INSERT INTO "AccountNameSearch"(rowid, "Name") VALUES (new."Id", new."Name");
        END;
        """;

    /// <summary>
    /// SQLite: puts back the name index's triggers when they are missing, and rebuilds the index from the names. EF rebuilds a
    /// table on SQLite to drop some of its columns (a new table, the rows copied, the old one dropped), and the old table's
    /// triggers go with it: the Down of the KeyAccountManagement and AccountDepartment migrations does that to the accounts, and
    /// a later migration may do it on the way up. Without the triggers new and renamed accounts would silently drop out of the
    /// name search. Run after every migration (<see cref="DataSetup.MigrateAsync"/>): one catalogue lookup when all is well.
    /// </summary>
    public static async Task EnsureSqliteNameIndexAsync(AppDb db, CancellationToken ct)
    {
        var triggers = await db.Database
            .SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'Accounts' AND name LIKE 'Accounts\\_NameSearch\\_%' ESCAPE '\\'")
            .SingleAsync(ct);
        if (triggers == 3) return;
        await db.Database.ExecuteSqlRawAsync(SqliteNameIndexTriggers + $"INSERT INTO \"{SqliteNameIndex}\"(\"{SqliteNameIndex}\") VALUES ('rebuild');", ct);
    }

    /// <summary>
    /// PostgreSQL's half of the search model: byte-ordered code and initials, and a trigram index over the name (pg_trgm) for the
    /// company-wide search. A search inside a book reads the book's name index instead (<see cref="NameInBookIndex"/>).
    /// </summary>
    public static void ConfigurePostgres(ModelBuilder builder)
    {
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<Account>(b =>
        {
            b.Property(a => a.Code).UseCollation("C");
            b.Property(a => a.NameInitials).UseCollation("C");
            b.HasIndex(a => a.Name, "IX_Accounts_Name_Trigram").HasMethod("gin").HasOperators("gin_trgm_ops");
        });
    }
}

/// <summary>A row of SQLite's trigram name index: the id of an account whose name matches.</summary>
public sealed class AccountNameMatch
{
    public long AccountId { get; set; }
}
