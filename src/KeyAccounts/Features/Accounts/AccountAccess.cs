using KeyAccounts.Data;
using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// Row-level access, decided here and only here: every query over accounts (and data hanging off them)
/// starts from <see cref="VisibleTo"/> or <see cref="EditableBy"/>, so lists, search, exports and the API agree.
/// </summary>
public static class AccountAccess
{
    public static IQueryable<Account> VisibleTo(this IQueryable<Account> accounts, AppDb db, CurrentUser user)
    {
        var me = user.Id;
        return user.Scope switch
        {
            DataScope.All => accounts,
            DataScope.Department => accounts.Where(a =>
                a.OwnerId == me
                || db.Users.Any(owner => owner.Id == a.OwnerId && db.Users.Any(u => u.Id == me && u.Department != null
                                                                                    && owner.Department!.Path.StartsWith(u.Department.Path)))
                || db.AccountShares.Any(s => s.AccountId == a.Id && s.UserId == me)),
            _ => accounts.Where(a => a.OwnerId == me || db.AccountShares.Any(s => s.AccountId == a.Id && s.UserId == me)),
        };
    }

    /// <summary>Admins and leaders edit everything, managers their department's book; everyone else (Finance included) only what they own or was shared read-write.</summary>
    public static IQueryable<Account> EditableBy(this IQueryable<Account> accounts, AppDb db, CurrentUser user)
    {
        var me = user.Id;
        if (user.EditsEverything) return accounts;
        return user.Scope == DataScope.Department
            ? accounts.Where(a =>
                a.OwnerId == me
                || db.Users.Any(owner => owner.Id == a.OwnerId && db.Users.Any(u => u.Id == me && u.Department != null
                                                                                    && owner.Department!.Path.StartsWith(u.Department.Path)))
                || db.AccountShares.Any(s => s.AccountId == a.Id && s.UserId == me && s.Access == ShareAccess.ReadWrite))
            : accounts.Where(a => a.OwnerId == me || db.AccountShares.Any(s => s.AccountId == a.Id && s.UserId == me && s.Access == ShareAccess.ReadWrite));
    }

    /// <summary>Ids of the accounts the user may see, for filtering data that hangs off accounts (contacts, history).</summary>
    public static IQueryable<long> VisibleAccountIds(this AppDb db, CurrentUser user) => db.Accounts.VisibleTo(db, user).Select(a => a.Id);
}
