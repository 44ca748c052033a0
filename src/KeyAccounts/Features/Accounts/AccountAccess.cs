using System.Linq.Expressions;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// Row-level access, decided here and only here: every query over accounts (and data hanging off them)
/// starts from <see cref="VisibleTo"/> or <see cref="EditableBy"/>, so lists, search, exports and the API agree.
/// </summary>
public static class AccountAccess
{
    public static IQueryable<Account> VisibleTo(this IQueryable<Account> accounts, AppDb db, CurrentUser user)
    {
        if (user.Scope == DataScope.All) return accounts;
        var me = user.Id;
        var shared = db.AccountShares.Where(s => s.UserId == me).Select(s => s.AccountId);
        return Owned(accounts, db, me, user.Scope == DataScope.Department ? DepartmentUsers(db, me) : null, shared);
    }

    /// <summary>
    /// The same rules as <see cref="VisibleTo"/>, for lists over the whole book: the owners and shared accounts are read
    /// first (a few dozen ids from small indexed tables) and the account query gets them as parameter lists, so both
    /// engines combine plain index lookups (PostgreSQL cannot when an arm of the OR is a subquery) and can walk the
    /// sort index of a page.
    /// </summary>
    public static async Task<IQueryable<Account>> VisibleToAsync(this IQueryable<Account> accounts, AppDb db, CurrentUser user, CancellationToken ct) =>
        accounts.In(await BookOfAsync(db, user, ct));

    /// <summary>
    /// The user's book as id lists, or null for a user who sees every account. One statement: the accounts shared with the user
    /// and, for a Manager, the users of the department subtree (one round trip fewer on every page of a Manager's list).
    /// </summary>
    public static async Task<Book?> BookOfAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (user.Scope == DataScope.All) return null;
        var me = user.Id;
        var entries = db.AccountShares.Where(s => s.UserId == me).Select(s => new BookEntry { AccountId = s.AccountId, OwnerId = null });
        if (user.Scope == DataScope.Department)
            entries = entries.Concat(DepartmentUsers(db, me).Select(id => new BookEntry { AccountId = null, OwnerId = id }));
        var read = await entries.ToListAsync(ct);
        string[] owners = [.. read.Where(e => e.OwnerId is not null).Select(e => e.OwnerId!).Append(me).Distinct()];
        return new Book(owners, [.. read.Where(e => e.AccountId is not null).Select(e => e.AccountId!.Value)]);
    }

    /// <summary>A row of <see cref="BookOfAsync"/>: a shared account or an owner of the book.</summary>
    private sealed class BookEntry
    {
        public long? AccountId { get; init; }
        public string? OwnerId { get; init; }
    }

    /// <summary>The accounts of <paramref name="book"/> (all accounts when it is null).</summary>
    public static IQueryable<Account> In(this IQueryable<Account> accounts, Book? book) =>
        book is null ? accounts : accounts.Where(InBook(book));

    /// <summary>The condition "in this book", for queries that combine it with others (the search inside a book).</summary>
    public static Expression<Func<Account, bool>> InBook(Book book)
    {
        var (owners, shared) = (book.Owners, book.Shared);
        // One owner (a Rep's book) is an equality, not a list of one: the owner-led indexes then yield the rows in sort order
        // (PostgreSQL 15 reads every entry of "OwnerId" = ANY(…) and sorts them, ~1.2 ms for a Rep's 5,000 accounts).
        if (owners is [var owner])
            return shared.Length == 0 ? a => a.OwnerId == owner : a => a.OwnerId == owner || shared.Contains(a.Id);
        return shared.Length == 0 ? a => owners.Contains(a.OwnerId) : a => owners.Contains(a.OwnerId) || shared.Contains(a.Id);
    }

    /// <summary>Admins and leaders edit everything, managers their department's book; everyone else (Finance included) only what they own or was shared read-write.</summary>
    public static IQueryable<Account> EditableBy(this IQueryable<Account> accounts, AppDb db, CurrentUser user)
    {
        if (user.EditsEverything) return accounts;
        var me = user.Id;
        var shared = db.AccountShares.Where(s => s.UserId == me && s.Access == ShareAccess.ReadWrite).Select(s => s.AccountId);
        return Owned(accounts, db, me, user.Scope == DataScope.Department ? DepartmentUsers(db, me) : null, shared);
    }

    /// <summary>
    /// Accounts owned by <paramref name="me"/>, by anyone in <paramref name="team"/>, or in <paramref name="shared"/>. The sets are
    /// the same on both engines; the shape differs so each can use its indexes at a million rows: SQLite turns the OR into a
    /// union of index lookups ("MULTI-INDEX OR"), PostgreSQL cannot when one arm is a subquery (it would filter every row), so
    /// it gets one IN over a UNION ALL of index-backed selects.
    /// </summary>
    private static IQueryable<Account> Owned(IQueryable<Account> accounts, AppDb db, string me, IQueryable<string>? team, IQueryable<long> shared)
    {
        if (db.IsPostgres)
        {
            var ids = db.Accounts.Where(a => a.OwnerId == me).Select(a => a.Id).Concat(shared);
            if (team is not null) ids = ids.Concat(db.Accounts.Where(a => team.Contains(a.OwnerId)).Select(a => a.Id));
            return accounts.Where(a => ids.Contains(a.Id));
        }
        return team is null
            ? accounts.Where(a => a.OwnerId == me || shared.Contains(a.Id))
            : accounts.Where(a => a.OwnerId == me || team.Contains(a.OwnerId) || shared.Contains(a.Id));
    }

    /// <summary>Users whose department is the manager's own or below it.</summary>
    private static IQueryable<string> DepartmentUsers(AppDb db, string managerId) =>
        db.Users.Where(owner => db.Users.Any(u => u.Id == managerId && u.Department != null && owner.Department!.Path.StartsWith(u.Department.Path)))
            .Select(owner => owner.Id);

    /// <summary>Ids of the accounts the user may see, for filtering data that hangs off accounts (contacts, history).</summary>
    public static IQueryable<long> VisibleAccountIds(this AppDb db, CurrentUser user) => db.Accounts.VisibleTo(db, user).Select(a => a.Id);
}

/// <summary>One user's book: the accounts of <see cref="Owners"/> (the user, or a manager's department subtree) and those shared with the user.</summary>
public sealed record Book(string[] Owners, long[] Shared);
