using System.Linq.Expressions;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// Search by code, name and pinyin initials that stays index-backed at a million accounts. This is the one
/// place where the providers differ: a name fragment of three or more characters goes through a trigram
/// index (SQLite: the FTS5 table <c>AccountNameSearch</c> with the trigram tokenizer, kept in sync by
/// triggers; PostgreSQL: a pg_trgm GIN index on the name). Codes and initials match from the start, as
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

    /// <param name="withinBook">
    /// The accounts are already limited to one user's book (a rep's or a department's). The book's names are then matched
    /// along the book index, which holds them (<see cref="NameInBook"/>): a common fragment can match tens of thousands of
    /// accounts company-wide, and fetching those from the trigram index only to drop the ones outside the book is far slower.
    /// </param>
    public static IQueryable<Account> Matching(this IQueryable<Account> accounts, AppDb db, string term, bool withinBook = false)
    {
        var upper = term.ToUpperInvariant();
        var (from, to) = PrefixRange(upper);
        Expression<Func<Account, bool>> match = a => string.Compare(a.Code, from) >= 0 && string.Compare(a.Code, to) < 0;
        match = Or(match, withinBook ? NameInBook(db, term) : NameContains(db, term));
        var initials = PinyinInitials.Of(term);
        if (initials.Length > 1 && initials == upper)
            match = Or(match, a => string.Compare(a.NameInitials, from) >= 0 && string.Compare(a.NameInitials, to) < 0);
        return accounts.Where(match);
    }

    private static Expression<Func<Account, bool>> NameContains(AppDb db, string term)
    {
        if (!IsIndexed(term)) return a => a.Name.Contains(term);
        if (db.IsPostgres)
        {
            var pattern = "%" + EscapeLike(term) + "%";
            return a => EF.Functions.ILike(a.Name, pattern, "\\");
        }
        var phrase = "\"" + term.Replace("\"", "\"\"") + "\"";
        var named = db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM \"AccountNameSearch\" WHERE \"AccountNameSearch\" MATCH {phrase}");
        return a => named.Contains(a.Id);
    }

    /// <summary>
    /// A name fragment inside one book, matched row by row while the book index is read: the same matches as the company-wide
    /// search. SQLite's LIKE ignores case for Latin letters, as its trigram index does. PostgreSQL uses ILIKE as its trigram search
    /// does, or plain LIKE for a fragment without letters that have a case (Chinese characters, digits): the same matches, without
    /// folding every name (two to three times cheaper per row). On PostgreSQL the name is written as <c>"Name" || ''</c>: an expression the trigram index
    /// does not serve, so the planner walks the book instead of taking the trigram index with a far too low row estimate (100 for
    /// ~35,000 company-wide matches of 精密机械) and dropping the rows outside the book (4 s under load for a Manager's book).
    /// </summary>
    private static Expression<Func<Account, bool>> NameInBook(AppDb db, string term)
    {
        var pattern = "%" + EscapeLike(term) + "%";
        if (!db.IsPostgres) return a => EF.Functions.Like(a.Name, pattern, "\\");
        if (!IsIndexed(term)) return NameContains(db, term);
        var caseless = term.All(c => char.ToUpperInvariant(c) == c && char.ToLowerInvariant(c) == c);
        return caseless ? a => EF.Functions.Like(a.Name + "", pattern, "\\") : a => EF.Functions.ILike(a.Name + "", pattern, "\\");
    }

    private static Expression<Func<Account, bool>> Or(Expression<Func<Account, bool>> left, Expression<Func<Account, bool>> right) =>
        Expression.Lambda<Func<Account, bool>>(
            Expression.OrElse(left.Body, ReplacingExpressionVisitor.Replace(right.Parameters[0], left.Parameters[0], right.Body)),
            left.Parameters);

    /// <summary>Every string that starts with <paramref name="prefix"/> sorts in [prefix, prefix + U+FFFF) byte-wise (SQLite BINARY, PostgreSQL "C").</summary>
    private static (string From, string To) PrefixRange(string prefix) => (prefix, prefix + '\uffff');

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>PostgreSQL's half of the search model: byte-ordered code and initials, and the trigram index on names.</summary>
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
