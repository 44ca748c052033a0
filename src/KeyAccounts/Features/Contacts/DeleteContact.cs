using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Archives;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Contacts;

/// <summary>
/// Removes a contact entered by mistake (people who leave are marked as left instead, so history stays whole).
/// Anyone who reported to them moves up to their manager, so the chart stays connected; every move is audited.
/// </summary>
public static class DeleteContact
{
    public static async Task<Results<NoContent, NotFound, ForbidHttpResult>> HandleAsync(
        long id, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id && db.VisibleAccountIds(user).Contains(c.AccountId), ct);
        if (contact is null) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == contact.AccountId, ct)) return TypedResults.Forbid();

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
