using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

public enum AccountSort { Name, Code, Tier, Province, ArchiveScore, UpdatedAt }

public static class ListAccounts
{
    /// <summary>The filters of the account list; the same record drives the page, the API and the exports.</summary>
    public sealed record Query
    {
        public string? Search { get; init; }
        public Tier? Tier { get; init; }
        public AccountType? Type { get; init; }
        public string? OwnerId { get; init; }
        public string? Province { get; init; }
        public string? Industry { get; init; }
        public AccountStatus? Status { get; init; }
        public long? ParentId { get; init; }
        public AccountSort? Sort { get; init; }
        public bool? Descending { get; init; }
        public int? Page { get; init; }
        public int? PageSize { get; init; }
    }

    /// <summary>
    /// Totals are exact up to <see cref="CountLimit"/>; past it the count stops and the page says <c>totalIsEstimate</c>
    /// ("1,000+", as CRM list views do), so no page counts more than a thousand index entries. A page past the limit is not
    /// counted at all: rows were already paged past it. A search that is not counted (<see cref="AccountSearch.IsCounted"/>)
    /// gives a lower bound while its pages are full.
    /// </summary>
    public const int CountLimit = 1_000;

    public static async Task<Ok<Paged<AccountDto>>> HandleAsync([AsParameters] Query query, AppDb db, CurrentUser user, CancellationToken ct) =>
        await db.ReadListAsync(() => PageAsync(query, db, user, ct), ct);

    private static async Task<Ok<Paged<AccountDto>>> PageAsync(Query query, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var (page, size) = Paging.Normalize(query.Page, query.PageSize);
        var skipped = (page - 1) * size;
        var filtered = await FilterAsync(query, db, user, ct);
        var counts = Counts(query, user, skipped, size);
        var shape = Shape(db, user, query);
        List<AccountDto> items;
        int? matched = null;
        // A search may read its matches on to the count limit at once (ListShape.ReadsMatchesAtOnce): they are sorted in
        // full for the page anyway, so the ids past the page cost less than a count statement that would look them up again.
        if (counts && shape.ReadsMatchesAtOnce)
        {
            var ids = await PageIds(filtered, query, skipped, CountLimit + 1 - skipped).ToListAsync(ct);
            items = ids.Count == 0 ? [] : await RowsOfPage(db, ids.Count > size ? ids[..size] : ids, query).ToListAsync(ct);
            if (ids.Count > 0) matched = skipped + ids.Count;
        }
        else if (counts && shape.CountsWithPage)
        {
            // The count rides along with the page (CountedPage): one statement instead of two.
            var rows = await CountedPage(db, filtered, query, user, skipped, size).ToListAsync(ct);
            items = [.. rows.Select(r => r.Account)];
            if (rows.Count > 0) matched = rows[0].Matched;
        }
        else
            items = await Page(db, filtered, query, user, skipped, size).ToListAsync(ct);
        var seen = skipped + items.Count;
        // A page that is not full is the last one, so it already tells the total.
        if ((items.Count > 0 && items.Count < size) || (items.Count == 0 && page == 1))
            return TypedResults.Ok(new Paged<AccountDto>(items, seen, page, size));
        // A page past the end (an old link, a total that was a lower bound): the matches are fewer than the rows skipped, so a count
        // up to them is exact. It reads no more entries than the empty page already skipped.
        if (items.Count == 0)
            return TypedResults.Ok(new Paged<AccountDto>(items, await filtered.Take(skipped).CountAsync(ct), page, size));
        // From here the page is full. A search that is not counted: the page says "at least one more".
        if (query.Search.SearchText() is { } search && !AccountSearch.IsCounted(search, user))
            return TypedResults.Ok(new Paged<AccountDto>(items, seen + 1, page, size) { TotalIsEstimate = true });
        if (seen > CountLimit)
            return TypedResults.Ok(new Paged<AccountDto>(items, seen, page, size) { TotalIsEstimate = true });
        var counted = matched ?? await filtered.Take(CountLimit + 1).CountAsync(ct);
        return TypedResults.Ok(counted > CountLimit
            ? new Paged<AccountDto>(items, CountLimit, page, size) { TotalIsEstimate = true }
            : new Paged<AccountDto>(items, counted, page, size));
    }

    /// <summary>Whether a full page is counted: the search (if any) is counted and the page ends within the count limit.</summary>
    public static bool Counts(Query query, CurrentUser user, int skipped, int size) =>
        (query.Search.SearchText() is not { } search || AccountSearch.IsCounted(search, user)) && skipped + size <= CountLimit;

    /// <summary>
    /// How this list reads its page and count on this engine: the one choice, made by the engine's dialect
    /// (<see cref="SqlDialect.ListShape"/>) from the user's reach and the search.
    /// </summary>
    public static ListShape Shape(AppDb db, CurrentUser user, Query query) =>
        db.Engine.ListShape(user.Scope == DataScope.All, query.Search.SearchText() is not null, query.Search.SearchText() is { } search && AccountSearch.IsIndexed(search));

    /// <summary>The rows of one page of <paramref name="filtered"/>, read the way that suits the engine and the user (<see cref="ListShape.ReadsPageThroughIds"/>).</summary>
    public static IQueryable<AccountDto> Page(AppDb db, IQueryable<Account> filtered, Query query, CurrentUser user, int skipped, int size) =>
        Shape(db, user, query).ReadsPageThroughIds
            ? RowsOfPage(db, PageIds(filtered, query, skipped, size), query)
            : Ordered(filtered, query).Select(AccountDto.FromEntity).Skip(skipped).Take(size);

    /// <summary>
    /// A page whose every row carries the number of matches, counted to <see cref="CountLimit"/> + 1, as an uncorrelated scalar
    /// subquery that the engine runs once per statement (PostgreSQL as an InitPlan): a full page then needs no
    /// count statement of its own — one round trip, one statement to prepare and one query for EF to run fewer per page. An
    /// empty page carries no count.
    /// </summary>
    public static IQueryable<CountedRow> CountedPage(AppDb db, IQueryable<Account> filtered, Query query, CurrentUser user, int skipped, int size)
    {
        var matches = filtered.Take(CountLimit + 1);
        return Page(db, filtered, query, user, skipped, size).Select(a => new CountedRow(a, matches.Count()));
    }

    /// <summary>A row of <see cref="CountedPage"/>: the account and how many accounts match the list's filters (up to <see cref="CountLimit"/> + 1).</summary>
    public sealed record CountedRow(AccountDto Account, int Matched);

    /// <summary>
    /// A page in two steps of one statement (<see cref="RowsOfPage(AppDb, IQueryable{long}, Query)"/>): the page's ids come from
    /// an index alone (filter, sort and skip inside it: for a book the owner-led book index), then only those rows are read and
    /// joined. Asked as one flat query, PostgreSQL prefers walking a company-wide sort index and checking each row's owner for a
    /// book (tens of milliseconds per page at a million accounts), reads every skipped row of a later page (page 20 by archive
    /// score: 1,000 rows for 50), and joins parent and owner to every match of a search before sorting.
    /// </summary>
    public static IQueryable<long> PageIds(IQueryable<Account> accounts, Query query, int skipped, int size) =>
        Ordered(accounts, query).Select(a => a.Id).Skip(skipped).Take(size);

    public static IQueryable<AccountDto> RowsOfPage(AppDb db, IReadOnlyCollection<long> ids, Query query) =>
        Ordered(db.Accounts.Where(a => ids.Contains(a.Id)), query).Select(AccountDto.FromEntity);

    /// <summary>The rows of the page whose ids <paramref name="pageIds"/> selects, in one statement (the ids as its subquery).</summary>
    public static IQueryable<AccountDto> RowsOfPage(AppDb db, IQueryable<long> pageIds, Query query) =>
        Ordered(db.Accounts.Where(a => pageIds.Contains(a.Id)), query).Select(AccountDto.FromEntity);

    /// <summary>The visible accounts that pass the filters: the one source of the list, its exports and lookups.</summary>
    public static async Task<IQueryable<Account>> FilterAsync(Query q, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var book = await AccountAccess.BookOfAsync(db, user, ct);
        // A search limits the accounts to the book itself, within each of its index lookups (AccountSearch.Matching).
        var accounts = q.Search.SearchText() is { } search ? db.Accounts.Matching(db, search, book) : db.Accounts.In(book);
        if (q.Tier is { } tier) accounts = accounts.Where(a => a.Tier == tier);
        if (q.Type is { } type) accounts = accounts.Where(a => a.Type == type);
        if (q.Status is { } status) accounts = accounts.Where(a => a.Status == status);
        if (q.OwnerId.Trimmed() is { } owner) accounts = accounts.Where(a => a.OwnerId == owner);
        if (q.Province.Trimmed() is { } province) accounts = accounts.Where(a => a.Province == province);
        if (q.Industry.Trimmed() is { } industry) accounts = accounts.Where(a => a.Industry == industry);
        if (q.ParentId is { } parent) accounts = accounts.Where(a => a.ParentId == parent);
        return accounts;
    }

    public static IQueryable<Account> Ordered(IQueryable<Account> accounts, Query q) => (q.Sort ?? AccountSort.Name, q.Descending == true) switch
    {
        (AccountSort.Code, false) => accounts.OrderBy(a => a.Code),
        (AccountSort.Code, true) => accounts.OrderByDescending(a => a.Code),
        (AccountSort.Tier, false) => accounts.OrderBy(a => a.Tier).ThenBy(a => a.Name).ThenBy(a => a.Id),
        (AccountSort.Tier, true) => accounts.OrderByDescending(a => a.Tier).ThenBy(a => a.Name).ThenBy(a => a.Id),
        (AccountSort.Province, false) => accounts.OrderBy(a => a.Province).ThenBy(a => a.Name).ThenBy(a => a.Id),
        (AccountSort.Province, true) => accounts.OrderByDescending(a => a.Province).ThenBy(a => a.Name).ThenBy(a => a.Id),
        (AccountSort.ArchiveScore, false) => accounts.OrderBy(a => a.ArchiveScore).ThenBy(a => a.Name).ThenBy(a => a.Id),
        (AccountSort.ArchiveScore, true) => accounts.OrderByDescending(a => a.ArchiveScore).ThenBy(a => a.Name).ThenBy(a => a.Id),
        (AccountSort.UpdatedAt, false) => accounts.OrderBy(a => a.UpdatedAt).ThenBy(a => a.Id),
        (AccountSort.UpdatedAt, true) => accounts.OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.Id),
        (_, true) => accounts.OrderByDescending(a => a.Name).ThenBy(a => a.Id),
        _ => accounts.OrderBy(a => a.Name).ThenBy(a => a.Id),
    };
}
