using System.Linq.Expressions;
using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
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
        return Owned(accounts, db, me, user.Scope == DataScope.Department ? DepartmentsOf(db, me) : null, shared);
    }

    /// <summary>
    /// The same rules as <see cref="VisibleTo"/>, for lists over the whole book: the departments and shared accounts are read
    /// first (a few ids from small indexed tables) and the account query gets them as parameter lists, so both
    /// engines combine plain index lookups (PostgreSQL cannot when an arm of the OR is a subquery) and can walk the
    /// sort index of a page.
    /// </summary>
    public static async Task<IQueryable<Account>> VisibleToAsync(this IQueryable<Account> accounts, AppDb db, CurrentUser user, CancellationToken ct) =>
        accounts.In(await BookOfAsync(db, user, ct));

    /// <summary>
    /// The user's book as id lists, or null for a user who sees every account; kept in memory between requests (<see cref="BookCache"/>).
    /// Read in one statement: the accounts shared with the user and, for a Manager, the departments of the subtree.
    /// </summary>
    public static async Task<Book?> BookOfAsync(AppDb db, CurrentUser user, CancellationToken ct) =>
        user.Scope == DataScope.All ? null
        : db.Books is { } books ? await books.GetOrReadAsync(user, () => ReadBookAsync(db, user, ct))
        : await ReadBookAsync(db, user, ct);

    private static async Task<Book?> ReadBookAsync(AppDb db, CurrentUser user, CancellationToken ct)
    {
        var me = user.Id;
        var entries = db.AccountShares.Where(s => s.UserId == me).Select(s => new BookEntry { AccountId = s.AccountId, DepartmentId = null });
        if (user.Scope == DataScope.Department)
            entries = entries.Concat(DepartmentsOf(db, me).Select(id => new BookEntry { AccountId = null, DepartmentId = id }));
        var read = await entries.ToListAsync(ct);
        int[] departments = [.. read.Where(e => e.DepartmentId is not null).Select(e => e.DepartmentId!.Value).Distinct()];
        long[] shared = [.. read.Where(e => e.AccountId is not null).Select(e => e.AccountId!.Value)];
        // A Manager's own accounts are in the own department; a Manager outside every department keeps only those.
        return departments.Length > 0 ? new Book(null, departments, shared) : new Book(me, [], shared);
    }

    /// <summary>A row of <see cref="BookOfAsync"/>: a shared account or a department of the book.</summary>
    private sealed class BookEntry
    {
        public long? AccountId { get; init; }
        public int? DepartmentId { get; init; }
    }

    /// <summary>The accounts of <paramref name="book"/> (all accounts when it is null).</summary>
    public static IQueryable<Account> In(this IQueryable<Account> accounts, Book? book) =>
        book is null ? accounts : accounts.Where(InBook(book));

    /// <summary>The condition "in this book", for queries that combine it with others (the search inside a book).</summary>
    public static Expression<Func<Account, bool>> InBook(Book book)
    {
        var (departments, shared) = (book.Departments, book.Shared);
        // One owner (a Rep's book) or one department (a Manager's) is an equality, not a list of one: the owner- and department-led
        // indexes then yield the rows in sort order (PostgreSQL 15 reads every entry of "OwnerId" = ANY(…) and sorts them; SQLite
        // sorts a Manager's key accounts read owner by owner).
        Expression<Func<Account, bool>> mine = (book.Owner, departments) switch
        {
            ({ } owner, _) => a => a.OwnerId == owner,
            (_, [var department]) => a => a.DepartmentId == department,
            _ => a => departments.Contains(a.DepartmentId!.Value),
        };
        return shared.Length == 0 ? mine : Predicates.Or(mine, a => shared.Contains(a.Id));
    }

    /// <summary>Admins and leaders edit everything, managers their department's book; everyone else (Finance included) only what they own or was shared read-write.</summary>
    public static IQueryable<Account> EditableBy(this IQueryable<Account> accounts, AppDb db, CurrentUser user)
    {
        if (user.EditsEverything) return accounts;
        var me = user.Id;
        var shared = db.AccountShares.Where(s => s.UserId == me && s.Access == ShareAccess.ReadWrite).Select(s => s.AccountId);
        return Owned(accounts, db, me, user.Scope == DataScope.Department ? DepartmentsOf(db, me) : null, shared);
    }

    /// <summary>
    /// Accounts owned by <paramref name="me"/>, of a department in <paramref name="departments"/>, or in <paramref name="shared"/>.
    /// The sets are the same on both engines; the shape differs so each can use its indexes at a million rows
    /// (<see cref="SqlDialect.OwnedOrShared"/>): SQLite turns the OR into a union of index lookups ("MULTI-INDEX OR"), PostgreSQL
    /// cannot when one arm is a subquery (it would filter every row), so it gets one IN over a UNION ALL of index-backed selects.
    /// </summary>
    private static IQueryable<Account> Owned(IQueryable<Account> accounts, AppDb db, string me, IQueryable<int>? departments, IQueryable<long> shared) =>
        db.Engine.OwnedOrShared(accounts, db, me, departments, shared);

    /// <summary>The manager's department and every department below it (none for a manager outside every department).</summary>
    private static IQueryable<int> DepartmentsOf(AppDb db, string managerId) =>
        DepartmentTree.Subtree(db, db.Users.Where(u => u.Id == managerId && u.DepartmentId != null).Select(u => u.DepartmentId!.Value));

    /// <summary>Ids of the accounts the user may see, for filtering data that hangs off accounts (contacts, history).</summary>
    public static IQueryable<long> VisibleAccountIds(this AppDb db, CurrentUser user) => db.Accounts.VisibleTo(db, user).Select(a => a.Id);
}

/// <summary>
/// One user's book: the accounts of <see cref="Owner"/> (a Rep, or a Manager outside every department) or of
/// <see cref="Departments"/> (a Manager: the department subtree), and those shared with the user.
/// </summary>
public sealed record Book(string? Owner, int[] Departments, long[] Shared);
