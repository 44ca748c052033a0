using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KeyAccounts.Features.Care;

/// <summary>
/// The daily care reminders to account owners: their key and major accounts' people's birthdays, the accounts' cooperation
/// anniversaries, and the festivals, a few days ahead. Each occurrence has a dedup key (contact and year, festival and year …),
/// so running again the same day, after a restart or on several nodes notifies once.
/// </summary>
public static class GenerateCareReminders
{
    public const int DaysAhead = 3;

    /// <summary>Care is for the accounts that matter most: reminding about a million small accounts' people helps nobody.</summary>
    public static readonly Tier[] CaredTiers = [Tier.Key, Tier.Major];

    public sealed record Outcome(int Birthdays, int Anniversaries, int Festivals, int Raised);

    public static async Task<Outcome> RunAsync(AppDb db, DateOnly today, CancellationToken ct)
    {
        var end = today.AddDays(DaysAhead);
        var days = CareCalendar.MonthDaysBetween(today, end);
        var codes = days.Keys.ToList();
        var tiers = CaredTiers;
        var messages = new List<Notify.Message>();

        var birthdays = await db.Contacts.AsNoTracking()
            .Where(c => c.BirthdayMonthDay != null && codes.Contains(c.BirthdayMonthDay.Value) && c.IsActive)
            .Join(db.Accounts.Where(a => tiers.Contains(a.Tier) && a.Status == AccountStatus.Active), c => c.AccountId, a => a.Id,
                (c, a) => new { ContactId = c.Id, c.Name, MonthDay = c.BirthdayMonthDay!.Value, AccountId = a.Id, Account = a.Name, a.OwnerId })
            .ToListAsync(ct);
        foreach (var b in birthdays)
        {
            var date = days[b.MonthDay];
            messages.Add(new Notify.Message(b.OwnerId, NotificationEvent.CareReminder, $"birthday:{b.ContactId}:{date.Year}",
                "Birthday: {0} ({1}) on {2:yyyy-MM-dd}", null, $"/accounts/{b.AccountId}", b.AccountId, [b.Name, b.Account, date]));
        }

        var anniversaries = await db.Accounts.AsNoTracking()
            .Where(a => a.CooperationMonthDay != null && codes.Contains(a.CooperationMonthDay.Value) && tiers.Contains(a.Tier) && a.Status == AccountStatus.Active)
            .Select(a => new { a.Id, a.Name, a.OwnerId, MonthDay = a.CooperationMonthDay!.Value, Since = a.CooperationSince!.Value })
            .ToListAsync(ct);
        foreach (var a in anniversaries)
        {
            var date = days[a.MonthDay];
            var years = date.Year - a.Since.Year;
            if (years <= 0) continue;
            messages.Add(new Notify.Message(a.OwnerId, NotificationEvent.CareReminder, $"anniversary:{a.Id}:{date.Year}",
                "Anniversary: {0} years of cooperation with {1} on {2:yyyy-MM-dd}", null, $"/accounts/{a.Id}", a.Id, [years, a.Name, date]));
        }

        var festivals = CareCalendar.FestivalsBetween(today, end).ToList();
        if (festivals.Count > 0)
        {
            // Per user an EXISTS probe on the owner index: grouping a million accounts by owner would read them all.
            var owners = await db.Users.AsNoTracking()
                .Where(u => db.Accounts.Any(a => a.OwnerId == u.Id && tiers.Contains(a.Tier) && a.Status == AccountStatus.Active))
                .Select(u => u.Id).ToListAsync(ct);
            foreach (var (date, key) in festivals)
                foreach (var owner in owners)
                    messages.Add(new Notify.Message(owner, NotificationEvent.CareReminder, $"festival:{key}:{date.Year}",
                        "{0} on {1:yyyy-MM-dd}: time to care for your key and major accounts", null, "/care",
                        TitleArgs: [Texts.Of<CareText>($"Festival.{key}"), date]));
        }

        var raised = await Notify.SendAsync(db, messages, ct);
        return new Outcome(birthdays.Count, anniversaries.Count, festivals.Count, raised);
    }
}

public static class CareJobs
{
    /// <summary>Hourly rather than daily: what the reminders raise is keyed per occurrence, so the extra runs add nothing, and a node that was down at midnight still catches up.</summary>
    public static void AddCareJobs(this IQuartzBuilder q, IConfiguration configuration) =>
        q.ScheduleJob<CareRemindersJob>(t => t.WithIdentity("care-reminders").WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()).StartAt(DateTimeOffset.UtcNow.AddMinutes(1)));
}

[DisallowConcurrentExecution]
public sealed class CareRemindersJob(AppDb db, TimeProvider clock) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await GenerateCareReminders.RunAsync(db, BusinessDay(clock), cancellationToken);

    /// <summary>Reminders follow the day in China (UTC+8 all year), not the server's clock.</summary>
    public static DateOnly BusinessDay(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(8));
}
