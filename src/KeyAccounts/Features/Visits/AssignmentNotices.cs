using KeyAccounts.Data;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Visits;

/// <summary>
/// Tells people of work given to them: a visit they were added to, a task they were made owner of. Whoever assigns it is not
/// told. Each occurrence is told once (the dedup key names the visit or task and the person).
/// </summary>
public static class AssignmentNotices
{
    public static async Task VisitAsync(AppDb db, long visitId, IEnumerable<string> people, string assignedBy, CancellationToken ct)
    {
        var recipients = people.Where(p => p != assignedBy).Distinct().ToList();
        if (recipients.Count == 0) return;
        var v = await db.Visits.Where(x => x.Id == visitId)
            .Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { x.Id, x.AccountId, x.PlannedOn, x.Purpose, x.Level, a.Name })
            .FirstAsync(ct);
        var by = await NameAsync(db, assignedBy, ct);
        // Worded in each recipient's language by Notify (NotificationsText).
        await Notify.SendAsync(db, [.. recipients.Select(r => new Notify.Message(r, NotificationEvent.VisitAssigned, $"visit:{v.Id}:attendee:{r}",
            "{0} added you to a visit to {1}", "{0:yyyy-MM-dd} · {1} · {2}", $"/visits/{v.Id}", v.AccountId,
            [by, v.Name], [v.PlannedOn, Texts.Of<VisitsText>($"Level.{v.Level}"), v.Purpose]))], ct);
    }

    public static async Task TasksAsync(AppDb db, IEnumerable<FollowUpTask> tasks, string assignedBy, CancellationToken ct)
    {
        var given = tasks.Where(t => t.OwnerId != assignedBy).ToList();
        if (given.Count == 0) return;
        var accountIds = given.Select(t => t.AccountId).Distinct().ToList();
        var names = await db.Accounts.Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var by = await NameAsync(db, assignedBy, ct);
        await Notify.SendAsync(db, [.. given.Select(t => new Notify.Message(t.OwnerId, NotificationEvent.TaskAssigned, $"task:{t.Id}:owner:{t.OwnerId}",
            "{0} gave you a task: {1}", "{0} · due {1:yyyy-MM-dd}", $"/tasks/{t.Id}", t.AccountId,
            [by, t.Title], [names.GetValueOrDefault(t.AccountId, ""), t.DueOn]))], ct);
    }

    private static async Task<string> NameAsync(AppDb db, string userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
}
