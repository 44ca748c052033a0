using KeyAccounts.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace KeyAccounts.Features.Evaluation;

/// <summary>
/// Runs the active models that have a schedule: yearly (from 10 January, over the previous year) or quarterly (from the
/// 10th day of a quarter, over the previous quarter). Checked daily so a node that was down catches up. Each scheduled
/// run has a unique key (model lineage + period): when several nodes fire together, one creates it and the others skip.
/// </summary>
public static class ScheduledEvaluation
{
    public const int DayOfPeriod = 10;

    public static void AddEvaluationJobs(this IQuartzBuilder q, IConfiguration configuration) =>
        q.ScheduleJob<Job>(t => t.WithIdentity("scheduled-evaluation")
            .WithCronSchedule(configuration["Jobs:EvaluationCron"] ?? "0 30 2 * * ?"), j => j.WithIdentity("scheduled-evaluation"));

    /// <summary>The period a schedule is due for on <paramref name="today"/>, or null before the 10th day.</summary>
    public static (DateOnly Start, DateOnly End)? DuePeriod(EvaluationSchedule schedule, DateOnly today)
    {
        switch (schedule)
        {
            case EvaluationSchedule.Yearly:
                if (today < new DateOnly(today.Year, 1, DayOfPeriod)) return null;
                return (new DateOnly(today.Year - 1, 1, 1), new DateOnly(today.Year - 1, 12, 31));
            case EvaluationSchedule.Quarterly:
                var quarterStart = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
                if (today < quarterStart.AddDays(DayOfPeriod - 1)) return null;
                var start = quarterStart.AddMonths(-3);
                return (start, quarterStart.AddDays(-1));
            default:
                return null;
        }
    }

    public static string Key(EvaluationModel model, DateOnly start, DateOnly end) => $"{model.LineageId}:{start:yyyyMMdd}-{end:yyyyMMdd}";

    /// <summary>Creates the due scheduled runs not created yet; returns their ids.</summary>
    public static async Task<List<long>> RunDueAsync(AppDb db, TimeProvider clock, ILogger? log, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var created = new List<long>();
        var models = await db.EvaluationModels.AsNoTracking()
            .Where(m => m.Status == ModelStatus.Active && m.Schedule != EvaluationSchedule.None).ToListAsync(ct);
        foreach (var model in models)
        {
            if (DuePeriod(model.Schedule, today) is not var (start, end)) continue;
            var key = Key(model, start, end);
            if (await db.EvaluationRuns.AnyAsync(r => r.ScheduleKey == key, ct)) continue;
            var outcome = await RunEvaluation.EvaluateAsync(db, model, start, end, RunTrigger.Scheduled, key, null, clock, ct);
            if (outcome.Run is { } run)
            {
                created.Add(run.Id);
                log?.LogInformation("Scheduled evaluation {Key}: run {RunId} rated {Accounts} accounts ({Phases})", key, run.Id, run.AccountCount, outcome.Took);
            }
            else log?.LogInformation("Scheduled evaluation {Key} not created: {Reason}", key, FormattableString.Invariant(outcome.Error ?? outcome.Conflict!));
            db.ChangeTracker.Clear();
        }
        return created;
    }

    [DisallowConcurrentExecution]
    public sealed class Job(Func<AppDb> createDb, TimeProvider clock, ILogger<Job> log) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            await using var db = createDb();
            await RunDueAsync(db, clock, log, cancellationToken);
        }
    }
}
