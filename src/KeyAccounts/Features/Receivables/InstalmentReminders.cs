using KeyAccounts.Data;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KeyAccounts.Features.Receivables;

/// <summary>
/// Reminds the account's owner and every Finance user of an instalment <c>Receivables:ReminderDaysBefore</c> days (default 7)
/// before it is due and again when it becomes overdue, unless it is paid or void by then. Each reminder is claimed on the
/// instalment with a conditional update (one node wins it) and carries the instalment and event in its dedup key, so it goes
/// out once per instalment per event.
/// </summary>
public static class InstalmentReminders
{
    public const int DefaultDaysBefore = 7;
    private const int Batch = 500;

    public enum Kind { Due, Overdue }

    /// <summary>Sends what is due on <paramref name="today"/>; returns how many instalments were reminded of.</summary>
    public static async Task<int> RunAsync(AppDb db, DateOnly today, int daysBefore, CancellationToken ct)
    {
        var sent = 0;
        sent += await RunAsync(db, Kind.Due, today, daysBefore, ct);
        sent += await RunAsync(db, Kind.Overdue, today, daysBefore, ct);
        return sent;
    }

    private static async Task<int> RunAsync(AppDb db, Kind kind, DateOnly today, int daysBefore, CancellationToken ct)
    {
        var sent = 0;
        var horizon = today.AddDays(daysBefore);
        while (true)
        {
            var query = db.Instalments.AsNoTracking().Where(i => i.VoidedAt == null);
            query = kind == Kind.Due
                ? query.Where(i => i.DueReminderAt == null && i.DueOn >= today && i.DueOn <= horizon)
                : query.Where(i => i.OverdueReminderAt == null && i.DueOn < today);
            var batch = await query.OrderBy(i => i.DueOn).ThenBy(i => i.Id).Select(i => new { i.Id, i.PlanId }).Take(Batch).ToListAsync(ct);
            if (batch.Count == 0) return sent;
            var views = (await InstalmentStates.OfPlansAsync(db, [.. batch.Select(b => b.PlanId)], today, ct)).ToDictionary(v => v.Id);
            sent += await SendAsync(db, kind, [.. batch.Select(b => views[b.Id])], ct);
            if (batch.Count < Batch) return sent;
        }
    }

    private static async Task<int> SendAsync(AppDb db, Kind kind, List<InstalmentView> batch, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        long[] accountIds = [.. batch.Select(v => v.AccountId).Distinct()];
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Code, a.Name, a.OwnerId }).ToDictionaryAsync(a => a.Id, ct);
        var finance = await db.UserRoles.Join(db.Roles.Where(r => r.Name == Roles.Finance), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
            .Join(db.Users.Where(u => u.IsActive), id => id, u => u.Id, (id, _) => id).Distinct().ToListAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var messages = new List<Notify.Message>();
        var reminded = 0;
        foreach (var v in batch)
        {
            // Claimed whatever its state: a paid instalment needs no reminder for this event later either.
            var claimed = kind == Kind.Due
                ? await db.Instalments.Where(i => i.Id == v.Id && i.DueReminderAt == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.DueReminderAt, now), ct)
                : await db.Instalments.Where(i => i.Id == v.Id && i.OverdueReminderAt == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.OverdueReminderAt, now), ct);
            if (claimed == 0 || v.State is InstalmentState.Completed or InstalmentState.Void) continue;
            if (kind == Kind.Overdue && v.State != InstalmentState.Overdue) continue;
            var account = accounts[v.AccountId];
            var of = v.InvoiceNo ?? v.OrderNo;
            var title = kind == Kind.Due ? "Instalment {0} of {1} ({2}) is due on {3:yyyy-MM-dd}" : "Instalment {0} of {1} ({2}) is overdue since {3:yyyy-MM-dd}";
            var body = "{0} still owed of {1}.";
            var recipients = finance.Append(account.OwnerId).OfType<string>().Distinct();
            messages.AddRange(recipients.Select(r => new Notify.Message(r, kind == Kind.Due ? NotificationEvent.InstalmentDue : NotificationEvent.InstalmentOverdue,
                $"instalment:{v.Id}:{(kind == Kind.Due ? "due" : "overdue")}", title, body, $"/accounts/{v.AccountId}", v.AccountId,
                [v.No, of, account.Name, v.DueOn.ToDateTime(TimeOnly.MinValue)], [v.Outstanding, v.Amount])));
            reminded++;
        }
        await Notify.SendAsync(db, messages, ct);
        await transaction.CommitAsync(ct);
        return reminded;
    }
}

public static class ReceivablesJobs
{
    /// <summary>Hourly, on the business day in China; the claims make nodes running it together remind once.</summary>
    public static void AddReceivablesJobs(this IQuartzBuilder q, IConfiguration configuration) =>
        q.ScheduleJob<InstalmentRemindersJob>(t => t.WithIdentity("instalment-reminders")
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()).StartAt(DateTimeOffset.UtcNow.AddMinutes(2)));
}

[DisallowConcurrentExecution]
public sealed class InstalmentRemindersJob(AppDb db, TimeProvider clock, IConfiguration configuration) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await InstalmentReminders.RunAsync(db, GetAgeing.Today(clock),
            configuration.GetValue("Receivables:ReminderDaysBefore", InstalmentReminders.DefaultDaysBefore), cancellationToken);
}
