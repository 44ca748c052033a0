using KeyAccounts.Data;
using KeyAccounts.Features.Archives;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

public static class CreateAccount
{
    public sealed record Request(
        string? Code, string? Name, AccountType? Type, string? Industry = null, string? Province = null, string? City = null,
        string? CreditCode = null, long? ParentId = null, string? OwnerId = null, Tier? Tier = null, AccountStatus? Status = null,
        bool? ConfirmDuplicate = null)
    {
        public AccountFields Fields => new(Code, Name, Type, Industry, Province, City, CreditCode, ParentId, Tier, Status);
    }

    /// <param name="confirmDuplicate">
    /// Create the account even though others have a similar name (<see cref="AccountRules.FindNearDuplicatesAsync"/>); without it
    /// (or the request's <c>confirmDuplicate</c>) such a name is answered 409 with the candidates. An exact duplicate is refused
    /// whatever this says.
    /// </param>
    public static async Task<Results<Created<AccountDto>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct, bool confirmDuplicate = false)
    {
        var v = AccountRules.Validate(request.Fields);
        var ownerId = request.OwnerId.Trimmed() ?? user.Id;
        if (ownerId != user.Id && !user.IsManagerOrAbove) v.Add("ownerId", $"Only managers, leaders and administrators assign accounts to someone else.");
        else if (!await db.Users.AnyAsync(u => u.Id == ownerId && u.IsActive, ct)) v.Add("ownerId", $"There is no active user with this id.");
        if (request.Tier is not null && !user.IsManagerOrAbove) v.Add("tier", $"Only managers, leaders and administrators set the tier.");
        await AccountRules.CheckParentAsync(db, user, request.ParentId, null, v, ct);
        if (!v.IsValid) return v.Problem();

        var code = request.Code!.Trim();
        if (await db.Accounts.AnyAsync(a => a.Code == code, ct))
            return Problems.Conflict("Duplicate account code", $"The code {code} is already used by another account.");
        if (await AccountRules.FindDuplicateAsync(db, request.CreditCode, request.Name!, null, ct) is { } duplicate)
            return Problems.Conflict("Duplicate account", duplicate.Reason);
        if (!confirmDuplicate && request.ConfirmDuplicate != true
            && await AccountRules.FindNearDuplicatesAsync(db, user, request.Name!, null, ct) is { Count: > 0 } near)
            return AccountRules.NearDuplicateConflict(near);

        var now = clock.GetUtcNow().UtcDateTime;
        var account = new Account { Code = code, Name = "", OwnerId = ownerId, CreatedAt = now, UpdatedAt = now };
        AccountRules.Apply(account, request.Fields);
        account.OwnershipChanges.Add(new OwnershipChange { ToUserId = ownerId, Reason = "Created", ChangedAt = now, ChangedById = user.Id });
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        await RefreshArchiveScore.HandleAsync(db, account.Id, ct);

        var dto = await db.Accounts.Where(a => a.Id == account.Id).Select(AccountDto.FromEntity).FirstAsync(ct);
        return TypedResults.Created($"/api/v1/accounts/{account.Id}", dto);
    }
}
