using KeyAccounts.Data;
using KeyAccounts.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Tasks;

/// <summary>Part of the daily checks (<see cref="Visits.DailyVisitChecks"/>): tasks that fell overdue, TaskOverdue to their owner.</summary>
public static class OverdueTaskReminders
{
    /// <summary>Tasks are reminded about within a week of falling overdue; older ones have been reminded already.</summary>
    public const int WindowDays = 7;

    public static async Task<int> SendAsync(AppDb db, DateOnly today, CancellationToken ct)
    {
        var since = today.AddDays(-WindowDays);
        var overdue = await db.FollowUpTasks.Where(t => t.Status == TaskState.Open && t.DueOn < today && t.DueOn >= since)
            .Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new { t.Id, t.AccountId, t.OwnerId, t.Title, t.DueOn, a.Name })
            .ToListAsync(ct);
        var messages = overdue.Select(t => new Notify.Message(t.OwnerId, NotificationEvent.TaskOverdue, $"task:{t.Id}:overdue:{t.DueOn:yyyy-MM-dd}",
            "Task overdue: {0}", "{0} · due {1:yyyy-MM-dd}", $"/tasks?account={t.AccountId}", t.AccountId, [t.Title], [t.Name, t.DueOn])).ToList();
        return await Notify.SendAsync(db, messages, ct);
    }
}
