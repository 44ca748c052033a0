using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Visits;

public enum AccountRight { None, Read, Edit }

/// <summary>Checks shared by visits, tasks and follow-ups: access through <see cref="AccountAccess"/>, people that exist, contacts of the same account.</summary>
public static class VisitRules
{
    /// <summary>None: the account is not visible (answer 404); Read: visible only (answer 403 to changes); Edit.</summary>
    public static async Task<AccountRight> RightOnAsync(AppDb db, CurrentUser user, long accountId, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == accountId, ct)) return AccountRight.None;
        return await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == accountId, ct) ? AccountRight.Edit : AccountRight.Read;
    }

    /// <summary>
    /// Whoever may edit the account records its visits, and so does the visit's owner (who leads it on our side, e.g. an engineer
    /// on a technical visit to an account shared with nobody).
    /// </summary>
    public static async Task<bool> MayRecordAsync(AppDb db, CurrentUser user, Visit visit, CancellationToken ct) =>
        visit.OwnerId == user.Id || await RightOnAsync(db, user, visit.AccountId, ct) == AccountRight.Edit;

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Every contact named must be a key person of this very account: a visit is never recorded against someone else's people.</summary>
    public static async Task CheckContactsAsync(Validation v, AppDb db, long accountId, IReadOnlyCollection<long>? contactIds, string field, CancellationToken ct)
    {
        if (contactIds is null || contactIds.Count == 0) return;
        var ids = contactIds.Distinct().ToList();
        var own = await db.Contacts.Where(c => ids.Contains(c.Id) && c.AccountId == accountId).Select(c => c.Id).ToListAsync(ct);
        foreach (var stranger in ids.Except(own))
            v.Add(field, $"Contact {stranger} is not a key person of account {accountId}.");
    }

    public static async Task CheckUsersAsync(Validation v, AppDb db, IReadOnlyCollection<string> userIds, string field, CancellationToken ct)
    {
        if (userIds.Count == 0) return;
        var ids = userIds.Distinct().ToList();
        var known = await db.Users.Where(u => ids.Contains(u.Id) && u.IsActive).Select(u => u.Id).ToListAsync(ct);
        foreach (var unknown in ids.Except(known))
            v.Add(field, $"There is no active user {unknown}.");
    }
}
