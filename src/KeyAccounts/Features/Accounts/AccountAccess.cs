using System.Linq.Expressions;
using System.Security.Claims;
using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Visits;
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

    /// <summary>Which of <paramref name="accountIds"/> the user may open (for the links of a page of visits or tasks).</summary>
    public static async Task<HashSet<long>> VisibleAmongAsync(this AppDb db, CurrentUser user, IEnumerable<long> accountIds, CancellationToken ct)
    {
        long[] ids = [.. accountIds.Distinct()];
        if (ids.Length == 0) return [];
        return [.. await db.Accounts.VisibleTo(db, user).Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct)];
    }

    /// <summary>Which of <paramref name="accountIds"/> the user may edit.</summary>
    public static async Task<HashSet<long>> EditableAmongAsync(this AppDb db, CurrentUser user, IEnumerable<long> accountIds, CancellationToken ct)
    {
        long[] ids = [.. accountIds.Distinct()];
        if (ids.Length == 0) return [];
        return [.. await db.Accounts.EditableBy(db, user).Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct)];
    }

    /// <summary>
    /// Whether another person (by id, with their roles now) would see the account: what the pickers of attendees and task
    /// owners tell before someone is given work on an account they cannot open.
    /// </summary>
    public static async Task<bool> SeesAccountAsync(this AppDb db, string userId, long accountId, CancellationToken ct)
    {
        var person = await db.Users.Where(u => u.Id == userId).Select(u => new { u.Id, u.UserName }).FirstOrDefaultAsync(ct);
        if (person is null) return false;
        var roles = await db.UserRoles.Where(r => r.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync(ct);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, person.Id), new Claim(ClaimTypes.Name, person.UserName ?? "")], "Lookup");
        identity.AddClaims(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var them = CurrentUser.For(new ClaimsPrincipal(identity));
        return await db.Accounts.VisibleTo(db, them).AnyAsync(a => a.Id == accountId, ct);
    }

    /// <summary>
    /// Work reaches the people assigned to it: besides the visits of the accounts they see, a user sees the visits they attend
    /// (the owner is an attendee) and those they hold a task of, whatever account they are on. This opens the visit (with the
    /// account's name and code), never the account's book: its archive, contacts and history still follow <see cref="VisibleTo"/>.
    /// A union of index-backed id sets, so each engine reads the book's visits and the person's attendee and task rows by index.
    /// </summary>
    public static IQueryable<Visit> VisitsVisibleTo(this AppDb db, CurrentUser user)
    {
        if (user.Scope == DataScope.All) return db.Visits;
        var me = user.Id;
        var visible = db.VisibleAccountIds(user);
        var ids = db.Visits.Where(v => visible.Contains(v.AccountId)).Select(v => v.Id)
            .Union(db.VisitAttendees.Where(a => a.UserId == me).Select(a => a.VisitId))
            .Union(db.FollowUpTasks.Where(t => t.OwnerId == me && t.VisitId != null).Select(t => t.VisitId!.Value));
        return db.Visits.Where(v => ids.Contains(v.Id));
    }

    /// <summary>
    /// The tasks a user sees: those of the accounts they see, those they own, and those agreed on a visit they attend
    /// (the same rule as <see cref="VisitsVisibleTo"/>; the account's book stays closed).
    /// </summary>
    public static IQueryable<FollowUpTask> TasksVisibleTo(this AppDb db, CurrentUser user)
    {
        if (user.Scope == DataScope.All) return db.FollowUpTasks;
        var me = user.Id;
        var visible = db.VisibleAccountIds(user);
        var ids = db.FollowUpTasks.Where(t => visible.Contains(t.AccountId)).Select(t => t.Id)
            .Union(db.FollowUpTasks.Where(t => t.OwnerId == me).Select(t => t.Id))
            .Union(db.VisitAttendees.Where(a => a.UserId == me).Join(db.FollowUpTasks, a => (long?)a.VisitId, t => t.VisitId, (a, t) => t.Id));
        return db.FollowUpTasks.Where(t => ids.Contains(t.Id));
    }
}

/// <summary>
/// One user's book: the accounts of <see cref="Owner"/> (a Rep, or a Manager outside every department) or of
/// <see cref="Departments"/> (a Manager: the department subtree), and those shared with the user.
/// </summary>
public sealed record Book(string? Owner, int[] Departments, long[] Shared);
