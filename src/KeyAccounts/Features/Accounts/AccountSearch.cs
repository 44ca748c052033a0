using System.Linq.Expressions;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// Search by code, name, pinyin initials and full pinyin that stays index-backed at a million accounts: a name fragment of three or more
/// characters goes through a trigram index (<see cref="NameSearchIndex"/>; the engine's form of the match comes from its dialect,
/// <see cref="SqlDialect.NameContains"/> and <see cref="SqlDialect.NameInBookIndex"/>). Codes and initials match from the start,
/// as byte-ordered index ranges.
/// </summary>
public static class AccountSearch
{
    /// <summary>Trigram indexes need three characters; shorter fragments fall back to scanning names in list order.</summary>
    public const int IndexedFragmentLength = 3;

    /// <summary>Whether a name fragment goes through the trigram index (otherwise names are scanned in list order).</summary>
    public static bool IsIndexed(string term) => term.Length >= IndexedFragmentLength;

    /// <summary>
    /// Whether a search's matches are counted (to <see cref="ListAccounts.CountLimit"/>): only a company-wide search by a fragment
    /// the trigram index serves. Inside a book the names are matched while the book is read in name order: the page stops after
    /// its rows, but a total would read on through the book — every name of a Rep's 5,000 for 液压气动 (244 matches), ~28,000 of a
    /// Manager's 50,000 for 精密机械 before the thousandth match. Such
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
        // Full pinyin (hengli, henglish, heng li) is matched anywhere in the name's spelling, as a name fragment is, and only when
        // the term is long enough for the trigram index: a shorter one would match most spellings, and initials serve it.
        var pinyin = IsIndexed(term) ? FullPinyin.OfTerm(term) : null;
        if (pinyin is { Length: < IndexedFragmentLength }) pinyin = null;
        if (book is null) return accounts.Where(Predicates.Or(prefixes, NameContains(db, term, pinyin)));
        // Inside a book the engine reads the book in name order from its owner- or department-led name index, which carries the
        // code and the initials too (AccountConfiguration.ConfigureBookIndex), checks every arm of the match on each entry and
        // stops at the page (such a search is not counted: IsCounted). Without those columns in the index an arm on the code or
        // the initials would make the engine read the whole book from the wide book index and sort it.
        return accounts.In(book).Where(Predicates.Or(prefixes, NameInBookIndex(db, term, pinyin)));
    }

    /// <summary>A name fragment company-wide, in the engine's form (through the trigram index when it is long enough).</summary>
    private static Expression<Func<Account, bool>> NameContains(AppDb db, string term, string? pinyin) =>
        db.Engine.NameContains(db, term, IsIndexed(term), pinyin);

    /// <summary>A name fragment inside a book, matched row by row while the book's name index is read, in the engine's form.</summary>
    private static Expression<Func<Account, bool>> NameInBookIndex(AppDb db, string term, string? pinyin) =>
        db.Engine.NameInBookIndex(term, IsIndexed(term), pinyin);

    /// <summary>Every string that starts with <paramref name="prefix"/> sorts in [prefix, prefix + U+FFFF) byte-wise (SQLite BINARY, PostgreSQL "C").</summary>
    private static (string From, string To) PrefixRange(string prefix) => (prefix, prefix + '\uffff');
}

/// <summary>A row of SQLite's trigram name index: the id of an account whose name matches.</summary>
public sealed class AccountNameMatch
{
    public long AccountId { get; set; }
}
