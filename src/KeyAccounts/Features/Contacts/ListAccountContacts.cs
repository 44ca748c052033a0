using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Contacts;

/// <summary>The key people of one account, the most influential first; people who left only on request.</summary>
public static class ListAccountContacts
{
    public sealed record Query(int? Page = null, int? PageSize = null, bool? IncludeLeft = null);

    public static async Task<Results<Ok<Paged<ContactDto>>, NotFound>> HandleAsync(long id, [AsParameters] Query q, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        var contacts = db.Contacts.Where(c => c.AccountId == id);
        if (q.IncludeLeft != true) contacts = contacts.Where(c => c.IsActive);
        return TypedResults.Ok(await contacts
            .OrderByDescending(c => c.IsActive).ThenByDescending(c => c.Influence).ThenBy(c => c.Name).ThenBy(c => c.Id)
            .Select(ContactDto.FromEntity).ToPagedAsync(q.Page, q.PageSize, ct));
    }
}
