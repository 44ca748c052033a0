using KeyAccounts.Data;
using KeyAccounts.Features.Evaluation;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Demo;

/// <summary>
/// What waits for the demo's leaders: a second evaluation, over the twelve months up to the last order, proposed by the
/// administrator and not yet published, so the leaders' work-bench has a run to approve.
/// </summary>
public static class SeedDemoWorkbench
{
    public static async Task SeedAsync(AppDb db, string adminId, CancellationToken ct)
    {
        var latest = await db.OrderLines.MaxAsync(l => (DateOnly?)l.OrderDate, ct);
        var model = await db.EvaluationModels.Where(m => m.Status == ModelStatus.Active).OrderByDescending(m => m.Id).FirstOrDefaultAsync(ct);
        if (latest is not { } end || model is null) return;
        await RunEvaluation.EvaluateAsync(db, model, end.AddYears(-1).AddDays(1), end, RunTrigger.Manual, null, adminId, db.Clock, ct);
    }
}
