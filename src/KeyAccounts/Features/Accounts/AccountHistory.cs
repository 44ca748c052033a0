using KeyAccounts.Data;
using KeyAccounts.Features.Audit;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

public sealed record AuditEntryDto(long Id, DateTime At, string? UserName, string Entity, string EntityKey, AuditAction Action, string? Before, string? After);

public sealed record OwnershipDto(DateTime ChangedAt, string? FromUserId, string? FromName, string ToUserId, string? ToName, string Reason, string? ChangedByName);

/// <summary>Everything that happened to an account, and who owned it when: the record that survives staff turnover.</summary>
public static class AccountHistory
{
    public static async Task<Results<Ok<Paged<AuditEntryDto>>, NotFound>> ChangesAsync(long id, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        return TypedResults.Ok(await db.AuditEntries.Where(e => e.AccountId == id).OrderByDescending(e => e.Id)
            .Select(e => new AuditEntryDto(e.Id, e.At, e.UserName, e.Entity, e.EntityKey, e.Action, e.Before, e.After))
            .ToPagedAsync(page, pageSize, ct));
    }

    public static async Task<Results<Ok<List<OwnershipDto>>, NotFound>> OwnersAsync(long id, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        return TypedResults.Ok(await db.OwnershipChanges.Where(o => o.AccountId == id).OrderByDescending(o => o.ChangedAt).ThenByDescending(o => o.Id)
            .Select(o => new OwnershipDto(o.ChangedAt, o.FromUserId, db.Users.Where(u => u.Id == o.FromUserId).Select(u => u.DisplayName).FirstOrDefault(),
                o.ToUserId, db.Users.Where(u => u.Id == o.ToUserId).Select(u => u.DisplayName).FirstOrDefault(), o.Reason,
                db.Users.Where(u => u.Id == o.ChangedById).Select(u => u.DisplayName).FirstOrDefault()))
            .ToListAsync(ct));
    }
}
