using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

public static class GetAccount
{
    public static async Task<Results<Ok<AccountDto>, NotFound>> HandleAsync(long id, AppDb db, CurrentUser user, HttpContext http, CancellationToken ct)
    {
        var account = await FindAsync(id, db, user, ct);
        if (account is null) return TypedResults.NotFound();
        http.Response.Headers.ETag = ETags.For(account.Version);
        return TypedResults.Ok(account);
    }

    public static Task<AccountDto?> FindAsync(long id, AppDb db, CurrentUser user, CancellationToken ct) =>
        db.Accounts.VisibleTo(db, user).Where(a => a.Id == id).Select(AccountDto.FromEntity).FirstOrDefaultAsync(ct);
}
