using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Tasks;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KeyAccounts.Features.Visits;

/// <summary>
/// The daily follow-up checks: visits due in the next days (VisitDue to everyone going), tasks that fell overdue
/// (TaskOverdue to their owner), and accounts silent for longer than their tier allows (FollowUpOverdue to the owner's line
/// manager). Every message carries a dedup key naming its occurrence, so running twice, after a restart or on several nodes
/// notifies once.
/// </summary>
public static class DailyVisitChecks
{
    /// <summary>How many days ahead a planned visit is announced.</summary>
    public const int VisitDueDays = 3;

    /// <summary>Tasks are reminded about within a week of falling overdue; older ones have been reminded already.</summary>
    public const int OverdueWindowDays = 7;

    public sealed record Result(int VisitDue, int TaskOverdue, int Escalated);

    public static async Task<Result> RunAsync(AppDb db, DateOnly today, CancellationToken ct)
    {
        var visitDue = await VisitsDueAsync(db, today, ct);
        var taskOverdue = await TasksOverdueAsync(db, today, ct);
        var escalated = await EscalateSilentAccountsAsync(db, today, ct);
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
            $"拜访提醒：{v.PlannedOn:yyyy-MM-dd} {v.Name}", v.Purpose, $"/visits/{v.Id}", v.AccountId))).ToList();
        return await Notify.SendAsync(db, messages, ct);
    }

    private static async Task<int> TasksOverdueAsync(AppDb db, DateOnly today, CancellationToken ct)
    {
        var since = today.AddDays(-OverdueWindowDays);
        var overdue = await db.FollowUpTasks.Where(t => t.Status == TaskState.Open && t.DueOn < today && t.DueOn >= since)
            .Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new { t.Id, t.AccountId, t.OwnerId, t.Title, t.DueOn, a.Name })
            .ToListAsync(ct);
        var messages = overdue.Select(t => new Notify.Message(t.OwnerId, NotificationEvent.TaskOverdue, $"task:{t.Id}:overdue:{t.DueOn:yyyy-MM-dd}",
            $"任务逾期：{t.Title}", $"{t.Name} · 截止 {t.DueOn:yyyy-MM-dd}", $"/tasks?account={t.AccountId}", t.AccountId)).ToList();
        return await Notify.SendAsync(db, messages, ct);
    }

    /// <summary>
    /// An account silent for longer than its tier's threshold is escalated once per silence: the dedup key names the last
    /// follow-up day, so a new follow-up ends the episode and a later silence escalates again.
    /// </summary>
    private static async Task<int> EscalateSilentAccountsAsync(AppDb db, DateOnly today, CancellationToken ct)
    {
        var policies = await VisitPolicies.LoadAsync(db, ct);
        var escalated = 0;
        var managers = new Dictionary<string, string?>();
        foreach (var (tier, requirement) in policies)
        {
            if (requirement.EscalateAfterDays <= 0) continue;
            var cutoff = today.AddDays(-requirement.EscalateAfterDays);
            var cutoffTime = cutoff.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var silent = await db.Accounts.Where(a => a.Tier == tier && a.Status == AccountStatus.Active)
                .Select(a => new { a.Id, a.Name, a.OwnerId, a.CreatedAt, Last = db.FollowUps.Where(f => f.AccountId == a.Id).Max(f => (DateOnly?)f.OccurredOn) })
                .Where(x => x.Last == null ? x.CreatedAt < cutoffTime : x.Last < cutoff)
                .ToListAsync(ct);
            if (silent.Count == 0) continue;
            var keys = silent.Select(s => Key(s.Id, s.Last)).ToList();
            var told = (await db.Notifications.Where(n => n.Event == NotificationEvent.FollowUpOverdue && keys.Contains(n.DedupKey)).Select(n => n.DedupKey).ToListAsync(ct)).ToHashSet();
            var messages = new List<Notify.Message>();
            foreach (var s in silent.Where(s => !told.Contains(Key(s.Id, s.Last))))
            {
                if (!managers.TryGetValue(s.OwnerId, out var manager)) managers[s.OwnerId] = manager = await LineManager.OfAsync(db, s.OwnerId, ct);
                if (manager is null) continue;
                var since = s.Last ?? DateOnly.FromDateTime(s.CreatedAt);
                messages.Add(new Notify.Message(manager, NotificationEvent.FollowUpOverdue, Key(s.Id, s.Last),
                    $"客户跟进超期：{s.Name}", $"自 {since:yyyy-MM-dd} 起 {today.DayNumber - since.DayNumber} 天无跟进（{tier} 客户要求 {requirement.EscalateAfterDays} 天内）",
                    $"/accounts/{s.Id}", s.Id));
            }
            escalated += await Notify.SendAsync(db, messages, ct);
        }
        return escalated;
    }

    private static string Key(long accountId, DateOnly? last) => $"followup:{accountId}:{(last is { } d ? d.ToString("yyyy-MM-dd") : "never")}";
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
    public static void AddDailyVisitChecks(this IQuartzBuilder q)
    {
        q.AddJob<DailyVisitChecksJob>(o => o.WithIdentity(DailyVisitChecksJob.Key));
        q.AddTrigger(t => t.ForJob(DailyVisitChecksJob.Key).WithIdentity("daily-visit-checks").WithCronSchedule("0 0 1 * * ?", c => c.InTimeZone(TimeZoneInfo.Utc)));
    }
}
