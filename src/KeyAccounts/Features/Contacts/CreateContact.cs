using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Archives;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Contacts;

public static class CreateContact
{
    public static async Task<Results<Created<ContactDto>, NotFound, ForbidHttpResult, ValidationProblem>> HandleAsync(
        long id, ContactRequest request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.Forbid();
        var now = clock.GetUtcNow().UtcDateTime;
        var v = await ContactRules.ValidateAsync(request, db, id, null, DateOnly.FromDateTime(now), ct);
        if (!v.IsValid) return v.Problem();

        var contact = new Contact { AccountId = id, Name = "", Version = 1 };
        ContactRules.Apply(contact, request, now);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(ct);
        await RefreshArchiveScore.HandleAsync(db, id, ct);
        var dto = await db.Contacts.Where(c => c.Id == contact.Id).Select(ContactDto.FromEntity).FirstAsync(ct);
        return TypedResults.Created($"/api/v1/contacts/{dto.Id}", dto);
    }
}
