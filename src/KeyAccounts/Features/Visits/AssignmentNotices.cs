using System.Globalization;
using System.Resources;
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
    private static readonly ResourceManager Texts = new("KeyAccounts.Resources.Features.Visits.VisitsText", typeof(VisitsText).Assembly);

    /// <summary>The company's language: users have no language of their own yet, and the texts also go to group robots.</summary>
    private static CultureInfo Culture => HostSetup.Cultures[0];

    private static string Text(string key, params object[] args) =>
        string.Format(Culture, Texts.GetString(key, Culture) ?? key, args);

    public static async Task VisitAsync(AppDb db, long visitId, IEnumerable<string> people, string assignedBy, CancellationToken ct)
    {
        var recipients = people.Where(p => p != assignedBy).Distinct().ToList();
        if (recipients.Count == 0) return;
        var v = await db.Visits.Where(x => x.Id == visitId)
            .Join(db.Accounts, x => x.AccountId, a => a.Id, (x, a) => new { x.Id, x.AccountId, x.PlannedOn, x.Purpose, x.Level, a.Name })
            .FirstAsync(ct);
        var by = await NameAsync(db, assignedBy, ct);
        var level = Text($"Level.{v.Level}");
        await Notify.SendAsync(db, [.. recipients.Select(r => new Notify.Message(r, NotificationEvent.VisitAssigned, $"visit:{v.Id}:attendee:{r}",
            Text("Notice.VisitAssigned", by, v.Name), Text("Notice.VisitAssignedBody", v.PlannedOn.ToString("yyyy-MM-dd"), level, v.Purpose),
            $"/visits/{v.Id}", v.AccountId))], ct);
    }

    public static async Task TasksAsync(AppDb db, IEnumerable<FollowUpTask> tasks, string assignedBy, CancellationToken ct)
    {
        var given = tasks.Where(t => t.OwnerId != assignedBy).ToList();
        if (given.Count == 0) return;
        var accountIds = given.Select(t => t.AccountId).Distinct().ToList();
        var names = await db.Accounts.Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var by = await NameAsync(db, assignedBy, ct);
        await Notify.SendAsync(db, [.. given.Select(t => new Notify.Message(t.OwnerId, NotificationEvent.TaskAssigned, $"task:{t.Id}:owner:{t.OwnerId}",
            Text("Notice.TaskAssigned", by, t.Title), Text("Notice.TaskAssignedBody", names.GetValueOrDefault(t.AccountId, ""), t.DueOn.ToString("yyyy-MM-dd")),
            $"/tasks/{t.Id}", t.AccountId))], ct);
    }

    private static async Task<string> NameAsync(AppDb db, string userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
}
