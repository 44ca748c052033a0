using KeyAccounts.Features.Care;
using KeyAccounts.Features.Complaints;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Receivables;
using KeyAccounts.Features.Visits;
using Quartz;

namespace KeyAccounts.Infrastructure;

/// <summary>
/// The jobs host (Quartz, in-memory store); each feature adds its own jobs with an <c>AddXxxJobs</c> extension. Jobs are written to be safe when several nodes run them at once: what they
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
            q.AddEvaluationJobs(configuration);
            q.AddVisitJobs(configuration);
            q.AddNotificationJobs(configuration);
            q.AddCareJobs(configuration);
            q.AddComplaintJobs(configuration);
            q.AddReceivablesJobs(configuration);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
