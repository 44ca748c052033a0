using System.Linq.Expressions;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// Search by code, name and pinyin initials that stays index-backed at a million accounts. This is the one
/// place where the providers differ: a name fragment of three or more characters goes through a trigram
/// index (SQLite: the FTS5 table <c>AccountNameSearch</c> with the trigram tokenizer over names and owner keys,
/// kept in sync by triggers; PostgreSQL: a GIN index over owner and name trigrams). Codes and initials match
/// from the start, as byte-ordered index ranges.
/// </summary>
public static class AccountSearch
{
    /// <summary>The SQLite FTS5 table (contentless, trigram tokenizer): each account's name and its owner's key, created by the BookSearch migration.</summary>
    public const string SqliteNameIndex = "AccountNameSearch";

    /// <summary>Trigram indexes need three characters; shorter fragments fall back to scanning names in list order.</summary>
    public const int IndexedFragmentLength = 3;

    /// <summary>Whether a name fragment goes through the trigram index (otherwise names are scanned in list order).</summary>
    public static bool IsIndexed(string term) => term.Length >= IndexedFragmentLength;

    /// <param name="book">
    /// The user's book (a rep's or a department's; null for a user who sees all): the result then holds only the book's accounts,
    /// and a name fragment is matched together with the book's owners in one index lookup (<see cref="NameInBook"/>): a common
    /// fragment can match tens of thousands of accounts company-wide, and fetching those only to drop the ones outside the book
    /// is far slower. Each arm of the match carries the book itself (no separate book condition beside it): with one, PostgreSQL
    /// counts the owners twice in its row estimate and walks the whole book instead.
    /// </param>
    public static IQueryable<Account> Matching(this IQueryable<Account> accounts, AppDb db, string term, Book? book = null)
    {
        var upper = term.ToUpperInvariant();
        var (from, to) = PrefixRange(upper);
        Expression<Func<Account, bool>> match = a => string.Compare(a.Code, from) >= 0 && string.Compare(a.Code, to) < 0;
        var initials = PinyinInitials.Of(term);
        if (initials.Length > 1 && initials == upper)
            match = Or(match, a => string.Compare(a.NameInitials, from) >= 0 && string.Compare(a.NameInitials, to) < 0);
        if (book is null) return accounts.Where(Or(match, NameContains(db, term)));
        if (!IsIndexed(term) || (!db.IsPostgres && book.Owners.Length == 1))
            return accounts.In(book).Where(Or(match, NameInBookIndex(db, term)));
        return accounts.Where(Or(And(InBook(book), match), NameInBook(db, term, book)));
    }

    private static Expression<Func<Account, bool>> NameContains(AppDb db, string term)
    {
        if (!IsIndexed(term)) return a => a.Name.Contains(term);
        if (db.IsPostgres)
        {
            var pattern = "%" + EscapeLike(term) + "%";
            return a => EF.Functions.ILike(a.Name, pattern, "\\");
        }
        var phrase = "Name : " + Phrase(term);
        var named = db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM \"AccountNameSearch\" WHERE \"AccountNameSearch\" MATCH {phrase}");
        return a => named.Contains(a.Id);
    }

    /// <summary>
    /// A name fragment of three or more characters inside a department's book: the same matches as the company-wide search, as
    /// one index lookup per arm. PostgreSQL: the GIN index over (owner, name trigrams) (btree_gin) intersects the owners' entries
    /// with the fragment's trigrams. SQLite: the FTS5 table holds each name with its owner's key (<see cref="SqliteOwnerKey"/>),
    /// so one MATCH intersects both. Accounts shared with the user are few and are matched one by one. The LIKE that SQLite
    /// checks on top keeps its case rule (Latin letters only) for names inside a book, as before. A single rep's book is walked
    /// instead on SQLite (<see cref="NameInBookIndex"/>): the MATCH reads the fragment's company-wide posting lists whatever
    /// the book's size (~5 ms for 液压气动 at a million accounts), walking ~5,000 index entries costs ~1.5 ms.
    /// </summary>
    private static Expression<Func<Account, bool>> NameInBook(AppDb db, string term, Book book)
    {
        var owners = book.Owners;
        var shared = book.Shared;
        var like = NameLike(db, term);
        Expression<Func<Account, bool>> owned;
        if (db.IsPostgres) owned = And(a => owners.Contains(a.OwnerId), like);
        else
        {
            var match = $"Name : {Phrase(term)} AND OwnerKey : ({string.Join(" OR ", owners.Select(o => Phrase(SqliteOwnerKey(o))))})";
            var named = db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM \"AccountNameSearch\" WHERE \"AccountNameSearch\" MATCH {match}");
            owned = And(a => owners.Contains(a.OwnerId) && named.Contains(a.Id), like);
        }
        return shared.Length == 0 ? owned : Or(owned, And(a => shared.Contains(a.Id), like));
    }

    /// <summary>
    /// A name fragment inside a book, matched row by row while the book index is read (too short for the trigram index, or a
    /// single rep's book on SQLite). SQLite's LIKE ignores case for Latin letters, as its trigram index does.
    /// </summary>
    private static Expression<Func<Account, bool>> NameInBookIndex(AppDb db, string term) =>
        db.IsPostgres ? NameContains(db, term) : NameLike(db, term);

    /// <summary>
    /// SQLite: LIKE (case ignored for Latin letters). PostgreSQL: ILIKE as its trigram search does, or plain LIKE for a fragment
    /// without letters that have a case (Chinese characters, digits): the same matches without folding every name.
    /// </summary>
    private static Expression<Func<Account, bool>> NameLike(AppDb db, string term)
    {
        var pattern = "%" + EscapeLike(term) + "%";
        if (!db.IsPostgres) return a => EF.Functions.Like(a.Name, pattern, "\\");
        var caseless = term.All(c => char.ToUpperInvariant(c) == c && char.ToLowerInvariant(c) == c);
        return caseless ? a => EF.Functions.Like(a.Name, pattern, "\\") : a => EF.Functions.ILike(a.Name, pattern, "\\");
    }

    private static Expression<Func<Account, bool>> InBook(Book book)
    {
        var owners = book.Owners;
        var shared = book.Shared;
        return shared.Length == 0 ? a => owners.Contains(a.OwnerId) : a => owners.Contains(a.OwnerId) || shared.Contains(a.Id);
    }

    /// <summary>An FTS5 phrase: the text in double quotes, its own double quotes doubled.</summary>
    private static string Phrase(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// The owner as SQLite's FTS5 table indexes it: three characters (one trigram, so one short posting list per owner) made from
    /// the first twelve hex digits of the user id, 16 bits each, in Unicode plane 2. Every key is exactly three characters, so keys
    /// cannot match inside each other; two users sharing a key would only cost precision, since the book's owners are checked on
    /// the account as well. Computed exactly as <see cref="SqliteOwnerKeySql"/> computes it in the triggers.
    /// </summary>
    public static string SqliteOwnerKey(string ownerId)
    {
        var runes = ownerId.EnumerateRunes().ToArray();
        int Hex(int position)
        {
            if (position > runes.Length) return 0;
            var c = runes[position - 1].Value;
            if (c is >= 'A' and <= 'Z') c += 'a' - 'A';
            return c < 128 ? "0123456789abcdef".IndexOf((char)c) : -1;
        }
        string Char(int at) => char.ConvertFromUtf32(0x20000 + (Hex(at) << 12) + (Hex(at + 1) << 8) + (Hex(at + 2) << 4) + Hex(at + 3));
        return Char(1) + Char(5) + Char(10);
    }

    /// <summary>SQL of <see cref="SqliteOwnerKey"/> for the owner id in <paramref name="column"/>.</summary>
    public static string SqliteOwnerKeySql(string column)
    {
        string Hex(int at) => $"(instr('0123456789abcdef', lower(substr({column}, {at}, 1))) - 1)";
        string Char(int at) => $"char(131072 + {Hex(at)} * 4096 + {Hex(at + 1)} * 256 + {Hex(at + 2)} * 16 + {Hex(at + 3)})";
        return $"{Char(1)} || {Char(5)} || {Char(10)}";
    }

    /// <summary>Fills the SQLite FTS5 table from the accounts again (after a bulk load with its triggers dropped).</summary>
    public static string SqliteRebuildSql =>
        $"""
        INSERT INTO "{SqliteNameIndex}"("{SqliteNameIndex}") VALUES ('delete-all');
        INSERT INTO "{SqliteNameIndex}"(rowid, "Name", "OwnerKey") SELECT "Id", "Name", {SqliteOwnerKeySql("\"OwnerId\"")} FROM "Accounts";
        """;

    private static Expression<Func<Account, bool>> And(Expression<Func<Account, bool>> left, Expression<Func<Account, bool>> right) =>
        Expression.Lambda<Func<Account, bool>>(
            Expression.AndAlso(left.Body, ReplacingExpressionVisitor.Replace(right.Parameters[0], left.Parameters[0], right.Body)),
            left.Parameters);

    private static Expression<Func<Account, bool>> Or(Expression<Func<Account, bool>> left, Expression<Func<Account, bool>> right) =>
        Expression.Lambda<Func<Account, bool>>(
            Expression.OrElse(left.Body, ReplacingExpressionVisitor.Replace(right.Parameters[0], left.Parameters[0], right.Body)),
            left.Parameters);

    /// <summary>Every string that starts with <paramref name="prefix"/> sorts in [prefix, prefix + U+FFFF) byte-wise (SQLite BINARY, PostgreSQL "C").</summary>
    private static (string From, string To) PrefixRange(string prefix) => (prefix, prefix + '\uffff');

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>
    /// PostgreSQL's half of the search model: byte-ordered code and initials, and one GIN index over the owner (btree_gin) and the
    /// name's trigrams (pg_trgm). A multi-column GIN index serves any subset of its columns equally well, so it answers the
    /// company-wide name search as well as a search inside a book, where it intersects the owners' entries with the trigrams.
    /// </summary>
    public static void ConfigurePostgres(ModelBuilder builder)
    {
        builder.HasPostgresExtension("pg_trgm");
        builder.HasPostgresExtension("btree_gin");
        builder.Entity<Account>(b =>
        {
            b.Property(a => a.Code).UseCollation("C");
            b.Property(a => a.NameInitials).UseCollation("C");
            b.HasIndex(a => new { a.OwnerId, a.Name }, "IX_Accounts_Owner_Name_Trigram").HasMethod("gin").HasOperators("text_ops", "gin_trgm_ops");
        });
    }
}
