using KeyAccounts.Data;
using KeyAccounts.Features.Archives;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

public static class UpdateAccount
{
    /// <summary>The owner is not edited here: ownership moves only by a transfer, which keeps its history.</summary>
    public sealed record Request(
        string? Code, string? Name, AccountType? Type, string? Industry = null, string? Province = null, string? City = null,
        string? CreditCode = null, long? ParentId = null, Tier? Tier = null, AccountStatus? Status = null, int? Version = null)
    {
        public AccountFields Fields => new(Code, Name, Type, Industry, Province, City, CreditCode, ParentId, Tier, Status);
    }

    public static async Task<Results<Ok<AccountDto>, NotFound, ForbidHttpResult, ValidationProblem, Conflict<ProblemDetails>, ProblemHttpResult>> HandleAsync(
        long id, Request request, AppDb db, CurrentUser user, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var account = await db.Accounts.VisibleTo(db, user).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.Forbid();

        var expected = ETags.IfMatch(http) ?? request.Version;
        if (expected is { } version && version != account.Version)
            return Problems.PreconditionFailed($"Account {account.Code} is at version {account.Version}; you edited version {version}. Reload it and apply your change again.");

        var v = AccountRules.Validate(request.Fields);
        if (request.Tier is { } tier && tier != account.Tier && !user.IsManagerOrAbove) v.Add("tier", $"Only managers, leaders and administrators set the tier.");
        await AccountRules.CheckParentAsync(db, user, request.ParentId, id, v, ct);
        if (!v.IsValid) return v.Problem();

        var code = request.Code!.Trim();
        if (await db.Accounts.AnyAsync(a => a.Code == code && a.Id != id, ct))
            return Problems.Conflict("Duplicate account code", $"The code {code} is already used by another account.");
        if (await AccountRules.FindDuplicateAsync(db, request.CreditCode, request.Name!, id, ct) is { } duplicate)
            return Problems.Conflict("Duplicate account", duplicate.Reason);

        AccountRules.Apply(account, request.Fields);
        account.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        if (expected is { } v2) db.Entry(account).Property(a => a.Version).OriginalValue = v2;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.PreconditionFailed($"Account {account.Code} was changed by someone else while you edited it. Reload it and apply your change again.");
        }
        await RefreshArchiveScore.HandleAsync(db, id, ct);
        var dto = await db.Accounts.Where(a => a.Id == id).Select(AccountDto.FromEntity).FirstAsync(ct);
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }
}
