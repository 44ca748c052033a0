using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Archives;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Contacts;

/// <summary>Replaces a key person's details (marking them as left included); the version edited guards a colleague's change.</summary>
public static class UpdateContact
{
    public static async Task<Results<Ok<ContactDto>, NotFound, ForbidHttpResult, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id, ContactRequest request, AppDb db, CurrentUser user, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id && db.VisibleAccountIds(user).Contains(c.AccountId), ct);
        if (contact is null) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == contact.AccountId, ct)) return TypedResults.Forbid();

        var expected = ETags.IfMatch(http) ?? request.Version;
        if (expected is { } version && version != contact.Version)
            return Problems.PreconditionFailed($"{contact.Name} was changed by someone else since you opened it (now version {contact.Version}, you edited {version}). Reload and apply your change again.");

        var now = clock.GetUtcNow().UtcDateTime;
        var v = await ContactRules.ValidateAsync(request, db, contact.AccountId, id, DateOnly.FromDateTime(now), ct);
        if (!v.IsValid) return v.Problem();

        ContactRules.Apply(contact, request, now);
        if (expected is { } v2) db.Entry(contact).Property(c => c.Version).OriginalValue = v2;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.PreconditionFailed($"{contact.Name} was changed by someone else while you edited. Reload and apply your change again.");
        }
        await RefreshArchiveScore.HandleAsync(db, contact.AccountId, ct);
        var dto = await db.Contacts.Where(c => c.Id == id).Select(ContactDto.FromEntity).FirstAsync(ct);
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }
}
