using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Demo;

/// <summary>
/// The demo company's rating standard (AHP weights over the eight criteria of DOMAIN.md §1, the next version of the
/// installed standard model) and, when the demo has
/// transactions, one published evaluation of their latest year with judged scores for the larger accounts.
/// Without transactions only the standard is created.
/// </summary>
public static class SeedDemoEvaluation
{
    /// <summary>Relative importance behind the pairwise judgements: revenue and profit first, then collection and quality.</summary>
    private static readonly double[] Importance = [2, 1.5, 5, 3, 4, 3, 2, 1.5];

    public static async Task<string> SeedAsync(AppDb db, string adminId, string leaderId, string leaderName, DateTime now, CancellationToken ct)
    {
        var clock = new FixedClock(now);
        // The demo company works in the company's language: its criteria are named in it whatever the console's language.
        var criteria = Texts.In(Texts.DefaultCulture, EvaluationModels.StandardCriteria);
        List<List<double>> matrix = [.. Importance.Select(a => Importance.Select(b => Saaty(a / b)).ToList())];
        var request = new EvaluationModels.SaveRequest("华锐大客户评价标准", criteria, WeightMethod.Ahp, matrix, new Analytics.TierRules(70, 50, 30, KeyCap: 40),
            MissingJudgementRule.PopulationMedian, EvaluationSchedule.Yearly);
        // The company adapts the standard model installed at first start, as its administrator would: the edit is its next version.
        var standard = await db.EvaluationModels.Where(m => m.Status == ModelStatus.Active && m.Name == StandardModel.Name)
            .OrderBy(m => m.Id).Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
        var modelId = standard is { } standardId
            ? ((Microsoft.AspNetCore.Http.HttpResults.Ok<EvaluationModelDto>)(await EvaluationModels.UpdateAsync(standardId, request, db, clock, ct)).Result).Value!.Id
            : ((Microsoft.AspNetCore.Http.HttpResults.Created<EvaluationModelDto>)(await EvaluationModels.CreateAsync(request, db, clock, ct)).Result).Value!.Id;
        await EvaluationModels.ActivateAsync(modelId, db, clock, ct);

        var latest = await db.OrderLines.MaxAsync(l => (DateOnly?)l.OrderDate, ct);
        if (latest is null) return "evaluation standard created; no transactions, so no run";
        var start = new DateOnly(latest.Value.Year, 1, 1);
        var end = new DateOnly(latest.Value.Year, 12, 31);

        var judged = await db.Accounts.Where(a => a.Tier == Tier.Key || a.Tier == Tier.Major).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var random = new Random(11);
        foreach (var id in judged)
            foreach (var key in new[] { "IndustryInfluence", "BusinessReputation" })
                db.JudgedScores.Add(new JudgedScore
                {
                    AccountId = id,
                    Criterion = key,
                    PeriodStart = start,
                    PeriodEnd = end,
                    Score = random.Next(40, 96),
                    Reason = key == "IndustryInfluence" ? "行业协会常务理事单位，区域标杆" : "付款守信，无诉讼记录",
                    ScoredById = leaderId,
                    ScoredByName = leaderName,
                    ScoredAt = now,
                });
        await db.SaveChangesAsync(ct);

        var model = await db.EvaluationModels.FirstAsync(m => m.Id == modelId, ct);
        var outcome = await RunEvaluation.EvaluateAsync(db, model, start, end, RunTrigger.Manual, null, adminId, clock, ct);
        if (outcome.Run is not { } run) return $"evaluation standard created; run not possible: {outcome.Error}";
        var leader = CurrentUser.For(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
        [
            new(System.Security.Claims.ClaimTypes.NameIdentifier, leaderId), new(System.Security.Claims.ClaimTypes.Name, leaderName),
            new(System.Security.Claims.ClaimTypes.Role, Organisation.Roles.Leader),
        ], "seed")));
        await EvaluationRuns.ApproveAsync(run.Id, db, leader, clock, ct);
        return $"evaluation {start.Year} published ({run.AccountCount} accounts rated)";
    }

    /// <summary>Rounds a ratio to Saaty's 1–9 scale (and reciprocals), as a person would judge it.</summary>
    private static double Saaty(double ratio) => ratio >= 1 ? Math.Min(9, Math.Round(ratio)) : 1 / Math.Min(9, Math.Round(1 / ratio));

    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
    }
}
