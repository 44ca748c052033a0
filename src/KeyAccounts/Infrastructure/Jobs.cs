using KeyAccounts.Features.Evaluation;
using Quartz;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// Background jobs (Quartz, in-memory store). Jobs are written to be safe when several nodes run them at once: what they
/// produce is keyed (see <c>Notify</c>) or claimed in the database, so no clustered job store is needed.
/// Set <c>Jobs:Enabled=false</c> to run a node without them (tests do, and trigger jobs directly).
/// </summary>
public static class Jobs
{
    public static IServiceCollection AddKeyAccountsJobs(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue("Jobs:Enabled", true)) return services;
        services.AddQuartz(q =>
        {
            // Each feature registers its jobs here, e.g. q.AddDailyReminders(configuration);
            q.AddScheduledEvaluation(configuration);
            KeyAccounts.Features.Visits.DailyVisitChecksSetup.AddDailyVisitChecks(q);
            Features.Notifications.NotificationJobs.AddServiceJobs(q);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
