using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyAccounts.Features.Contacts;

public sealed record ContactListItem(
    long Id, long AccountId, string AccountCode, string AccountName, string Name, string? Title, string? Department,
    BuyingRole Role, Attitude Attitude, int Influence, string? Phone, string? Email, bool IsActive);

/// <summary>Every key person of the accounts the user may see, searchable across accounts.</summary>
public static class ListContacts
{
    public sealed record Query(
        string? Search = null, BuyingRole? Role = null, Attitude? Attitude = null, long? AccountId = null, bool? IncludeLeft = null,
        int? Page = null, int? PageSize = null);

    public static async Task<Ok<Paged<ContactListItem>>> HandleAsync([AsParameters] Query q, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var visible = db.VisibleAccountIds(user);
        var contacts = db.Contacts.Where(c => visible.Contains(c.AccountId));
        if (q.AccountId is { } account) contacts = contacts.Where(c => c.AccountId == account);
        if (q.IncludeLeft != true) contacts = contacts.Where(c => c.IsActive);
        if (q.Role is { } role) contacts = contacts.Where(c => c.Role == role);
        if (q.Attitude is { } attitude) contacts = contacts.Where(c => c.Attitude == attitude);
        if (q.Search.SearchText() is { } search)
            contacts = contacts.Where(c => c.Name.Contains(search) || (c.Title != null && c.Title.Contains(search)) || (c.Phone != null && c.Phone.StartsWith(search)));
        var page = await contacts.Join(db.Accounts, c => c.AccountId, a => a.Id, (c, a) => new { c, a })
            .OrderBy(x => x.c.Name).ThenBy(x => x.c.Id)
            .Select(x => new ContactListItem(x.c.Id, x.c.AccountId, x.a.Code, x.a.Name, x.c.Name, x.c.Title, x.c.Department, x.c.Role,
                x.c.Attitude, x.c.Influence, x.c.Phone, x.c.Email, x.c.IsActive))
            .ToPagedAsync(q.Page, q.PageSize, ct);
        return TypedResults.Ok(page);
    }
}
