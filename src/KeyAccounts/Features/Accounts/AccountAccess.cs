using KeyAccounts.Data;
using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// Row-level access, decided here and only here: every query over accounts (and data hanging off them)
/// starts from <see cref="VisibleTo"/> or <see cref="EditableBy"/>, so lists, search, exports and the API agree.
/// </summary>
public static class AccountAccess
{
    // Each rule is an IN over a small id set (the user's shares, the users of a department subtree) so the
    // database can combine index lookups, or filter while walking the list's sort index, at a million rows.
    public static IQueryable<Account> VisibleTo(this IQueryable<Account> accounts, AppDb db, CurrentUser user)
    {
        var me = user.Id;
        var shared = db.AccountShares.Where(s => s.UserId == me).Select(s => s.AccountId);
        return user.Scope switch
        {
            DataScope.All => accounts,
            DataScope.Department => accounts.Where(a => a.OwnerId == me || DepartmentUsers(db, me).Contains(a.OwnerId) || shared.Contains(a.Id)),
            _ => accounts.Where(a => a.OwnerId == me || shared.Contains(a.Id)),
        };
    }

    /// <summary>Admins and leaders edit everything, managers their department's book; everyone else (Finance included) only what they own or was shared read-write.</summary>
    public static IQueryable<Account> EditableBy(this IQueryable<Account> accounts, AppDb db, CurrentUser user)
    {
        var me = user.Id;
        if (user.EditsEverything) return accounts;
        var shared = db.AccountShares.Where(s => s.UserId == me && s.Access == ShareAccess.ReadWrite).Select(s => s.AccountId);
        return user.Scope == DataScope.Department
            ? accounts.Where(a => a.OwnerId == me || DepartmentUsers(db, me).Contains(a.OwnerId) || shared.Contains(a.Id))
            : accounts.Where(a => a.OwnerId == me || shared.Contains(a.Id));
    }

    /// <summary>Users whose department is the manager's own or below it.</summary>
    private static IQueryable<string> DepartmentUsers(AppDb db, string managerId) =>
        db.Users.Where(owner => db.Users.Any(u => u.Id == managerId && u.Department != null && owner.Department!.Path.StartsWith(u.Department.Path)))
            .Select(owner => owner.Id);

    /// <summary>Ids of the accounts the user may see, for filtering data that hangs off accounts (contacts, history).</summary>
    public static IQueryable<long> VisibleAccountIds(this AppDb db, CurrentUser user) => db.Accounts.VisibleTo(db, user).Select(a => a.Id);
}
