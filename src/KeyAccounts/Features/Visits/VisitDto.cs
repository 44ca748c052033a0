using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Visits;

public sealed record PersonRef(string Id, string Name);

public sealed record ContactRef(long Id, string Name, string? Title);

public sealed record VisitDto(
    long Id, long AccountId, string AccountCode, string AccountName, Tier Tier, VisitLevel Level, VisitStatus Status, DateOnly PlannedOn,
    string Purpose, string OwnerId, string OwnerName, DateOnly? VisitedOn, string? Findings, string? Problems, string? UsageInformation,
    string? LatentNeeds, IReadOnlyList<PersonRef> Attendees, IReadOnlyList<ContactRef> Contacts, IReadOnlyList<long> TaskIds, int Version);

/// <summary>A visit in a list: overdue when still planned after its day.</summary>
public sealed record VisitListItem(
    long Id, long AccountId, string AccountCode, string AccountName, Tier Tier, VisitLevel Level, VisitStatus Status, DateOnly PlannedOn,
    DateOnly? VisitedOn, string Purpose, string OwnerId, string OwnerName, bool Overdue);

public static class VisitProjections
{
    /// <summary>The visit <paramref name="id"/> among <paramref name="visits"/> (<see cref="AccountAccess.VisitsVisibleTo"/>: what the reader may open).</summary>
    public static async Task<VisitDto?> FindAsync(AppDb db, long id, IQueryable<Visit> visits, CancellationToken ct)
    {
        var v = await visits.Where(x => x.Id == id)
                .Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new
                {
                    x,
                    a.Code,
                    a.Name,
                    a.Tier,
                    OwnerName = db.Users.Where(u => u.Id == x.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                    Attendees = db.VisitAttendees.Where(t => t.VisitId == x.Id).Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new PersonRef(u.Id, u.DisplayName)).ToList(),
                    Contacts = db.VisitContacts.Where(c => c.VisitId == x.Id).Join(db.Contacts, c => c.ContactId, c => c.Id, (vc, c) => new ContactRef(c.Id, c.Name, c.Title)).ToList(),
                    TaskIds = db.FollowUpTasks.Where(t => t.VisitId == x.Id).OrderBy(t => t.Id).Select(t => t.Id).ToList(),
                }).FirstOrDefaultAsync(ct);
        if (v is null) return null;
        var x = v.x;
        return new VisitDto(x.Id, x.AccountId, v.Code, v.Name, v.Tier, x.Level, x.Status, x.PlannedOn, x.Purpose, x.OwnerId, v.OwnerName ?? "",
            x.VisitedOn, x.Findings, x.Problems, x.UsageInformation, x.LatentNeeds, v.Attendees, v.Contacts, v.TaskIds, x.Version);
    }
}
