using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Contacts;

public static class GetContact
{
    public static async Task<Results<Ok<ContactDto>, NotFound>> HandleAsync(long id, AppDb db, CurrentUser user, HttpContext? http, CancellationToken ct)
    {
        var contact = await FindAsync(id, db, user, ct);
        if (contact is null) return TypedResults.NotFound();
        http?.Response.Headers.ETag = ETags.For(contact.Version);
        return TypedResults.Ok(contact);
    }

    public static Task<ContactDto?> FindAsync(long id, AppDb db, CurrentUser user, CancellationToken ct) =>
        db.Contacts.Where(c => c.Id == id && db.VisibleAccountIds(user).Contains(c.AccountId)).Select(ContactDto.FromEntity).FirstOrDefaultAsync(ct);
}
