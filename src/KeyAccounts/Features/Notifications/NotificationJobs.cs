using KeyAccounts.Features.Care;
using KeyAccounts.Features.Complaints;
using Quartz;

namespace KeyAccounts.Features.Notifications;

/// <summary>
/// The schedules of the service jobs. The reminder and escalation jobs run hourly rather than once a day: what they raise is
/// keyed per occurrence, so the extra runs add nothing, and a node that was down at midnight still catches up.
/// </summary>
public static class NotificationJobs
{
    public static void AddServiceJobs(this IQuartzBuilder q)
    {
        q.ScheduleJob<DeliverNotificationsJob>(t => t.WithIdentity("deliver-notifications").WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(30)).RepeatForever()).StartNow());
        q.ScheduleJob<CareRemindersJob>(t => t.WithIdentity("care-reminders").WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()).StartAt(DateTimeOffset.UtcNow.AddMinutes(1)));
        q.ScheduleJob<EscalateComplaintsJob>(t => t.WithIdentity("escalate-complaints").WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(10)).RepeatForever()).StartAt(DateTimeOffset.UtcNow.AddMinutes(1)));
    }
}
