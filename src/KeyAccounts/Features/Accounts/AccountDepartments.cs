using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// The one rule for an account's department (归属部门): it is its owner's department. Applied on every save
/// (<see cref="AppDb.SaveChangesAsync(bool, CancellationToken)"/> calls <see cref="AssignAsync"/> and <see cref="FollowAsync"/>),
/// so a new account, a hand-over and a user moved to another department all keep it; the bulk writers (imports, the generator)
/// ask <see cref="OfOwnersAsync"/>. Row-level access reads a Manager's book through it (<see cref="AccountAccess"/>).
/// </summary>
public static class AccountDepartments
{
    /// <summary>The departments of these users, by user id (users without one map to null).</summary>
    public static async Task<Dictionary<string, int?>> OfOwnersAsync(AppDb db, IEnumerable<string> ownerIds, CancellationToken ct)
    {
        var departments = new Dictionary<string, int?>();
        foreach (var chunk in ownerIds.Distinct().Chunk(500))
            foreach (var u in await db.Users.Where(u => chunk.Contains(u.Id)).Select(u => new { u.Id, u.DepartmentId }).ToListAsync(ct))
                departments[u.Id] = u.DepartmentId;
        return departments;
    }

    /// <summary>
    /// Before a save: every tracked account that is new or has a new owner gets the owner's department (so the audit shows it).
    /// An owner being saved in the same batch counts with the department it is being given. Returns those accounts, for
    /// <see cref="ResyncAsync"/> once they are written.
    /// </summary>
    internal static async Task<List<Account>> AssignAsync(AppDb db, CancellationToken ct)
    {
        var accounts = db.ChangeTracker.Entries<Account>()
            .Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified && e.Property(a => a.OwnerId).IsModified))
            .Select(e => e.Entity)
            .ToList();
        if (accounts.Count == 0) return accounts;
        var tracked = db.ChangeTracker.Entries<AppUser>().Where(e => e.State != EntityState.Deleted)
            .ToDictionary(e => e.Entity.Id, e => e.Entity.DepartmentId);
        var missing = accounts.Select(a => a.OwnerId).Where(id => !tracked.ContainsKey(id)).ToList();
        var stored = missing.Count == 0 ? [] : await OfOwnersAsync(db, missing, ct);
        foreach (var account in accounts)
            account.DepartmentId = tracked.TryGetValue(account.OwnerId, out var department) ? department : stored.GetValueOrDefault(account.OwnerId);
        return accounts;
    }

    /// <summary>
    /// In the transaction that wrote these accounts: their department once more from their owners, in SQL. The department read
    /// before the save may already be stale — the owner moved and committed in between, and that move's <see cref="FollowAsync"/>
    /// did not yet see the account as theirs. Read here, after the account's row is written and locked, a move either committed
    /// before (and is read) or waits for this transaction and then follows the account itself.
    /// </summary>
    public static async Task ResyncAsync(AppDb db, IEnumerable<long> accountIds, CancellationToken ct)
    {
        foreach (var chunk in accountIds.Chunk(500))
            await db.Accounts.Where(a => chunk.Contains(a.Id)).ExecuteUpdateAsync(s => s.SetProperty(a => a.DepartmentId,
                a => db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.DepartmentId).FirstOrDefault()), ct);
    }

    /// <summary>Users whose department is being changed in this save, with the department they move to.</summary>
    internal static List<(string UserId, int? DepartmentId)> Moving(AppDb db) =>
        [.. db.ChangeTracker.Entries<AppUser>()
            .Where(e => e.State == EntityState.Modified && e.Property(u => u.DepartmentId).IsModified
                        && e.Property(u => u.DepartmentId).OriginalValue != e.Entity.DepartmentId)
            .Select(e => (e.Entity.Id, e.Entity.DepartmentId))];

    /// <summary>
    /// After a save, in its transaction: the accounts of users who moved go with them. Their version goes up, so an import or an
    /// edit that read them before the move is refused as a conflict instead of writing the old department back.
    /// </summary>
    internal static async Task FollowAsync(AppDb db, List<(string UserId, int? DepartmentId)> moving, CancellationToken ct)
    {
        foreach (var (userId, departmentId) in moving)
            await db.Accounts.Where(a => a.OwnerId == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DepartmentId, departmentId).SetProperty(a => a.Version, a => a.Version + 1), ct);
    }
}
