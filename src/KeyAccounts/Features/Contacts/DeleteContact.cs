using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Archives;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Contacts;

/// <summary>
/// Removes a contact entered by mistake (people who leave are marked as left instead, so history stays whole).
/// Anyone who reported to them moves up to their manager, so the chart stays connected; every move is audited.
/// </summary>
public static class DeleteContact
{
    public static async Task<Results<NoContent, NotFound, ForbidHttpResult, Conflict<ProblemDetails>>> HandleAsync(
        long id, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id && db.VisibleAccountIds(user).Contains(c.AccountId), ct);
        if (contact is null) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == contact.AccountId, ct)) return TypedResults.Forbid();

        // Visits, follow-ups and complaints keep the people they name (the database refuses to lose them): such a contact is marked as left.
        if (await db.VisitContacts.AnyAsync(c => c.ContactId == id, ct) || await db.FollowUpContacts.AnyAsync(c => c.ContactId == id, ct)
            || await db.Complaints.AnyAsync(c => c.ContactId == id, ct))
            return Problems.Conflict("The contact has history", $"{contact.Name} is named in visits, follow-ups or complaints; mark them as left instead.");

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var report in await db.Contacts.Where(c => c.ReportsToId == id).ToListAsync(ct))
        {
            report.ReportsToId = contact.ReportsToId;
            report.UpdatedAt = now;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        db.Contacts.Remove(contact);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await RefreshArchiveScore.HandleAsync(db, contact.AccountId, ct);
        return TypedResults.NoContent();
    }
}
