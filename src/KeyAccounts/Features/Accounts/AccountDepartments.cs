using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// The one rule for an account's department (归属部门): it is its owner's department. Applied on every save
/// (<see cref="AppDb.SaveChangesAsync(bool, CancellationToken)"/> calls <see cref="AssignAsync"/> and <see cref="FollowAsync"/> in its
/// transaction),
/// so a new account, a hand-over and a user moved to another department all keep it; the bulk writers (imports, the generator)
/// ask <see cref="OfOwnersAsync"/>. Row-level access reads a Manager's book through it (<see cref="AccountAccess"/>).
/// </summary>
public static class AccountDepartments
{
    /// <summary>
    /// The departments of these users, by user id (users without one map to null). Called inside the transaction that writes the
    /// accounts: PostgreSQL reads the users <c>FOR SHARE</c>, so a concurrent move of one of them either committed before (and is
    /// read) or waits for this transaction, and its <see cref="FollowAsync"/> then sees the accounts written here. (Without the
    /// lock the move's update passed over the accounts still uncommitted here, and they kept the old department.) SQLite's
    /// write transactions are one at a time anyway.
    /// </summary>
    public static async Task<Dictionary<string, int?>> OfOwnersAsync(AppDb db, IEnumerable<string> ownerIds, CancellationToken ct)
    {
        var departments = new Dictionary<string, int?>();
        foreach (var chunk in ownerIds.Distinct().Chunk(500))
        {
            var users = db.IsPostgres
                ? db.Users.FromSql($"""SELECT * FROM "AspNetUsers" WHERE "Id" = ANY({chunk}) FOR SHARE""")
                : db.Users.Where(u => chunk.Contains(u.Id));
            foreach (var u in await users.Select(u => new { u.Id, u.DepartmentId }).ToListAsync(ct))
                departments[u.Id] = u.DepartmentId;
        }
        return departments;
    }

    /// <summary>
    /// Before a save, inside its transaction: every tracked account that is new or has a new owner gets the owner's department.
    /// An owner being saved in the same batch counts with the department it is being given.
    /// </summary>
    internal static async Task AssignAsync(AppDb db, CancellationToken ct)
    {
        var accounts = db.ChangeTracker.Entries<Account>()
            .Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified && e.Property(a => a.OwnerId).IsModified))
            .Select(e => e.Entity)
            .ToList();
        if (accounts.Count == 0) return;
        var tracked = db.ChangeTracker.Entries<AppUser>().Where(e => e.State != EntityState.Deleted)
            .ToDictionary(e => e.Entity.Id, e => e.Entity.DepartmentId);
        var missing = accounts.Select(a => a.OwnerId).Where(id => !tracked.ContainsKey(id)).ToList();
        var stored = missing.Count == 0 ? [] : await OfOwnersAsync(db, missing, ct);
        foreach (var account in accounts)
            account.DepartmentId = tracked.TryGetValue(account.OwnerId, out var department) ? department : stored.GetValueOrDefault(account.OwnerId);
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
