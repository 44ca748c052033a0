using System.Runtime.CompilerServices;
using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// The one rule for an account's department (归属部门): it is its owner's department. Applied on every save by
/// <see cref="AccountDepartmentsOnSave"/> inside the save's transaction, so a new account, a hand-over and a user moved to another
/// department all keep it; the bulk writers (imports, the generator) ask <see cref="OfOwnersAsync"/>. Row-level access reads a Manager's book through it (<see cref="AccountAccess"/>).
/// </summary>
public static class AccountDepartments
{
    /// <summary>
    /// The departments of these users, by user id (users without one map to null). Called inside the transaction that writes the
    /// accounts: the users are read locked for share (<see cref="SqlDialect.UsersLockedForShare"/>; PostgreSQL <c>FOR SHARE</c>), so a concurrent move of one of them either committed before (and is
    /// read) or waits for this transaction, and its <see cref="FollowAsync"/> then sees the accounts written here. (Without the
    /// lock the move's update passed over the accounts still uncommitted here, and they kept the old department.) SQLite's
    /// write transactions are one at a time anyway.
    /// </summary>
    public static async Task<Dictionary<string, int?>> OfOwnersAsync(AppDb db, IEnumerable<string> ownerIds, CancellationToken ct)
    {
        var departments = new Dictionary<string, int?>();
        foreach (var chunk in ownerIds.Distinct().Chunk(500))
        {
            foreach (var u in await db.Engine.UsersLockedForShare(db, chunk).Select(u => new { u.Id, u.DepartmentId }).ToListAsync(ct))
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
            .ToList();
        if (accounts.Count == 0) return;
        var tracked = db.ChangeTracker.Entries<AppUser>().Where(e => e.State != EntityState.Deleted)
            .ToDictionary(e => e.Entity.Id, e => e.Entity.DepartmentId);
        var missing = accounts.Select(a => a.Entity.OwnerId).Where(id => !tracked.ContainsKey(id)).ToList();
        var stored = missing.Count == 0 ? [] : await OfOwnersAsync(db, missing, ct);
        // Through the entry: a save detects changes once, before the rules run (AppDb.SaveChangesAsync).
        foreach (var account in accounts)
            account.Property(a => a.DepartmentId).CurrentValue =
                tracked.TryGetValue(account.Entity.OwnerId, out var department) ? department : stored.GetValueOrDefault(account.Entity.OwnerId);
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

/// <summary>
/// <see cref="AccountDepartments"/> on every save (registered by <see cref="AccountsSetup.AddAccountsData"/>): before it, inside
/// the save's transaction, new accounts and accounts with a new owner get the owner's department (so the audit log shows it); after
/// it, in the same transaction, the accounts of users who moved go with them.
/// </summary>
public sealed class AccountDepartmentsOnSave : PerSaveInterceptor
{
    /// <summary>The users moving to another department in a save, by context, from before the save until after it.</summary>
    private readonly ConditionalWeakTable<DbContext, List<(string UserId, int? DepartmentId)>> moving = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not AppDb db) return result;
        await AccountDepartments.AssignAsync(db, cancellationToken);
        var moves = AccountDepartments.Moving(db);
        if (moves.Count > 0) moving.AddOrUpdate(db, moves);
        else moving.Remove(db);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDb db && moving.TryGetValue(db, out var moves))
        {
            moving.Remove(db);
            await AccountDepartments.FollowAsync(db, moves, cancellationToken);
        }
        return result;
    }

    protected override void Forget(DbContext context) => moving.Remove(context);
}
