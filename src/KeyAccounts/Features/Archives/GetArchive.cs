using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Archives;

public static class GetArchive
{
    public static async Task<Results<Ok<ArchiveDto>, NotFound>> HandleAsync(long id, AppDb db, CurrentUser user, HttpContext? http, CancellationToken ct)
    {
        var archive = await FindAsync(id, db, user, ct);
        if (archive is null) return TypedResults.NotFound();
        http?.Response.Headers.ETag = ETags.For(archive.Version);
        return TypedResults.Ok(archive);
    }

    /// <summary>The archive of a visible account (empty, version 0, when none was saved yet), or null when the account is not visible.</summary>
    public static async Task<ArchiveDto?> FindAsync(long id, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return null;
        return await db.Archives.AsNoTracking().Where(a => a.AccountId == id).Select(ArchiveDto.FromEntity).FirstOrDefaultAsync(ct)
               ?? ArchiveDto.Empty(id);
    }
}
