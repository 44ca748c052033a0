using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

public sealed record AccountShareDto(string UserId, string UserName, string DisplayName, ShareAccess Access, DateTime CreatedAt);

/// <summary>Shares an account with a colleague (a service engineer, a backup rep), read-only or read-write.</summary>
public static class AccountSharing
{
    public sealed record Request(string? UserId, ShareAccess? Access);

    public static async Task<Results<Ok<List<AccountShareDto>>, NotFound>> ListAsync(long id, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        // Ordered before the projection: EF cannot translate ordering by a member of a positional record.
        return TypedResults.Ok(await db.AccountShares.Where(s => s.AccountId == id)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { Share = s, User = u })
            .OrderBy(x => x.User.UserName)
            .Select(x => new AccountShareDto(x.User.Id, x.User.UserName!, x.User.DisplayName, x.Share.Access, x.Share.CreatedAt))
            .ToListAsync(ct));
    }

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult, ValidationProblem>> ShareAsync(
        long id, Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.Forbid();
        var v = new Validation().Require("userId", request.UserId, 450);
        if (request.Access is null) v.Add("access", $"access is required: Read or ReadWrite.");
        if (request.UserId.Trimmed() is { } uid && !await db.Users.AnyAsync(u => u.Id == uid && u.IsActive, ct)) v.Add("userId", $"There is no active user with this id.");
        if (request.UserId.Trimmed() is { } owner && await db.Accounts.AnyAsync(a => a.Id == id && a.OwnerId == owner, ct)) v.Add("userId", $"The owner already has the account.");
        if (!v.IsValid) return v.Problem();

        var userId = request.UserId!.Trim();
        var share = await db.AccountShares.FirstOrDefaultAsync(s => s.AccountId == id && s.UserId == userId, ct);
        if (share is null)
            db.AccountShares.Add(new AccountShare { AccountId = id, UserId = userId, Access = request.Access!.Value, CreatedAt = clock.GetUtcNow().UtcDateTime });
        else share.Access = request.Access!.Value;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult>> UnshareAsync(long id, string userId, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.Forbid();
        var share = await db.AccountShares.FirstOrDefaultAsync(s => s.AccountId == id && s.UserId == userId, ct);
        if (share is null) return TypedResults.NotFound();
        db.AccountShares.Remove(share);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
