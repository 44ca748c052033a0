using KeyAccounts.Data;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Tasks;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KeyAccounts.Features.Visits;

/// <summary>
/// The daily follow-up checks: visits due in the next days (VisitDue to everyone going), tasks that fell overdue
/// (TaskOverdue to their owner, <see cref="OverdueTaskReminders"/>), and accounts silent for longer than their tier allows
/// (FollowUpOverdue to the owner's line manager, <see cref="SilentAccountEscalation"/>). Every message carries a dedup key
/// naming its occurrence, so running twice, after a restart or on several nodes notifies once. One job runs all three,
/// as before the areas were split.
/// </summary>
public static class DailyVisitChecks
{
    /// <summary>How many days ahead a planned visit is announced.</summary>
    public const int VisitDueDays = 3;

    public sealed record Result(int VisitDue, int TaskOverdue, int Escalated);

    public static async Task<Result> RunAsync(AppDb db, DateOnly today, CancellationToken ct)
    {
        var visitDue = await VisitsDueAsync(db, today, ct);
        var taskOverdue = await OverdueTaskReminders.SendAsync(db, today, ct);
        var escalated = await SilentAccountEscalation.SendAsync(db, today, ct);
        return new Result(visitDue, taskOverdue, escalated);
    }

    private static async Task<int> VisitsDueAsync(AppDb db, DateOnly today, CancellationToken ct)
    {
        var until = today.AddDays(VisitDueDays);
        var due = await db.Visits.Where(v => v.Status == VisitStatus.Planned && v.PlannedOn >= today && v.PlannedOn <= until)
            .Join(db.Accounts, v => v.AccountId, a => a.Id, (v, a) => new { v.Id, v.AccountId, v.PlannedOn, v.Purpose, v.OwnerId, a.Name })
            .ToListAsync(ct);
        var ids = due.Select(v => v.Id).ToList();
        var attendees = (await db.VisitAttendees.Where(a => ids.Contains(a.VisitId)).ToListAsync(ct)).ToLookup(a => a.VisitId, a => a.UserId);
        var messages = due.SelectMany(v => attendees[v.Id].Append(v.OwnerId).Distinct().Select(userId => new Notify.Message(
            userId, NotificationEvent.VisitDue, $"visit:{v.Id}:due:{v.PlannedOn:yyyy-MM-dd}",
            "Visit reminder: {0:yyyy-MM-dd} {1}", v.Purpose, $"/visits/{v.Id}", v.AccountId, [v.PlannedOn, v.Name]))).ToList();
        return await Notify.SendAsync(db, messages, ct);
    }
}

/// <summary>The Quartz wrapper: one run a day at 01:00 UTC (09:00 in China).</summary>
[DisallowConcurrentExecution]
public sealed class DailyVisitChecksJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DailyVisitChecksJob> log) : IJob
{
    public static readonly JobKey Key = new("daily-visit-checks");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var result = await DailyVisitChecks.RunAsync(db, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
        log.LogInformation("Daily visit checks: {VisitDue} visit reminders, {TaskOverdue} overdue tasks, {Escalated} escalations", result.VisitDue, result.TaskOverdue, result.Escalated);
    }
}

public static class DailyVisitChecksSetup
{
    public static void AddVisitJobs(this IQuartzBuilder q, IConfiguration configuration)
    {
        q.AddJob<DailyVisitChecksJob>(o => o.WithIdentity(DailyVisitChecksJob.Key));
        q.AddTrigger(t => t.ForJob(DailyVisitChecksJob.Key).WithIdentity("daily-visit-checks").WithCronSchedule("0 0 1 * * ?", c => c.InTimeZone(TimeZoneInfo.Utc)));
    }
}
