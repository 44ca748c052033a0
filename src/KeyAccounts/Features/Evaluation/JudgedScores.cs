using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Evaluation;

/// <summary>Leaders and managers judge accounts on the judged criteria (influence, reputation, custom) per period.</summary>
public static class JudgedScores
{
    public sealed record Request(long? AccountId, string? Criterion, DateOnly? PeriodStart, DateOnly? PeriodEnd, decimal? Score, string? Reason);

    public sealed record Dto(
        long Id, long AccountId, string AccountCode, string AccountName, string Criterion, DateOnly PeriodStart, DateOnly PeriodEnd, decimal Score,
        string Reason, string? ScoredByName, DateTime ScoredAt);

    /// <summary>The judged criteria named by any model not retired: what can be judged.</summary>
    public static async Task<List<string>> JudgedKeysAsync(AppDb db, long? modelId, CancellationToken ct)
    {
        var models = await db.EvaluationModels.AsNoTracking()
            .Where(m => modelId == null ? m.Status != ModelStatus.Retired : m.Id == modelId).ToListAsync(ct);
        return [.. models.SelectMany(m => m.Criteria).Where(c => c.Source == CriterionSource.Judged).Select(c => c.Key).Distinct()];
    }

    /// <summary>Enters or replaces a judgement (audited with its reason).</summary>
    public static async Task<Results<Ok<Dto>, NotFound, ForbidHttpResult, ValidationProblem>> SaveAsync(
        Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!user.IsManagerOrAbove) return TypedResults.Forbid();
        var v = new Validation();
        if (request.AccountId is null) v.Add("accountId", $"accountId is required.");
        if (request.PeriodStart is null || request.PeriodEnd is null) v.Add("periodStart", $"The period (periodStart, periodEnd) is required.");
        else if (request.PeriodStart > request.PeriodEnd) v.Add("periodEnd", $"The period ends before it starts.");
        if (request.Score is not { } score || score < 0 || score > 100) v.Add("score", $"The score is 0–100 points.");
        v.Require("reason", request.Reason, 500);
        var keys = await JudgedKeysAsync(db, null, ct);
        if (string.IsNullOrWhiteSpace(request.Criterion) || !keys.Contains(request.Criterion.Trim()))
            v.Add("criterion", $"Judged criteria are: {string.Join(", ", keys)}.");
        if (!v.IsValid) return v.Problem();

        var account = await db.Accounts.VisibleTo(db, user).Where(a => a.Id == request.AccountId).Select(a => new { a.Id, a.Code, a.Name }).FirstOrDefaultAsync(ct);
        if (account is null) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == account.Id, ct)) return TypedResults.Forbid();

        var criterion = request.Criterion!.Trim();
        var j = await db.JudgedScores.FirstOrDefaultAsync(x => x.AccountId == account.Id && x.Criterion == criterion
            && x.PeriodStart == request.PeriodStart && x.PeriodEnd == request.PeriodEnd, ct);
        if (j is null)
        {
            j = new JudgedScore
            {
                AccountId = account.Id,
                Criterion = criterion,
                PeriodStart = request.PeriodStart!.Value,
                PeriodEnd = request.PeriodEnd!.Value,
                Reason = "",
                ScoredById = user.Id,
            };
            db.JudgedScores.Add(j);
        }
        j.Score = Math.Round(request.Score!.Value, 2);
        j.Reason = request.Reason!.Trim();
        j.ScoredById = user.Id;
        j.ScoredByName = user.UserName;
        j.ScoredAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new Dto(j.Id, j.AccountId, account.Code, account.Name, j.Criterion, j.PeriodStart, j.PeriodEnd, j.Score, j.Reason, j.ScoredByName, j.ScoredAt));
    }

    public static async Task<Ok<Paged<Dto>>> ListAsync(
        DateOnly? periodStart, DateOnly? periodEnd, long? accountId, string? criterion, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var q = from j in db.JudgedScores.AsNoTracking()
                join a in db.Accounts.VisibleTo(db, user) on j.AccountId equals a.Id
                select new { j, a.Code, a.Name };
        if (periodStart is { } s) q = q.Where(x => x.j.PeriodStart == s);
        if (periodEnd is { } e) q = q.Where(x => x.j.PeriodEnd == e);
        if (accountId is { } id) q = q.Where(x => x.j.AccountId == id);
        if (criterion.Trimmed() is { } c) q = q.Where(x => x.j.Criterion == c);
        var paged = await q.OrderBy(x => x.Code).ThenBy(x => x.j.Criterion)
            .Select(x => new Dto(x.j.Id, x.j.AccountId, x.Code, x.Name, x.j.Criterion, x.j.PeriodStart, x.j.PeriodEnd, x.j.Score, x.j.Reason, x.j.ScoredByName, x.j.ScoredAt))
            .ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(paged);
    }

    public sealed record MissingItem(long AccountId, string AccountCode, string AccountName, List<string> Missing);

    public sealed record MissingResponse(
        IReadOnlyList<MissingItem> Items, int Total, int Page, int PageSize, List<string> JudgedCriteria, MissingJudgementRule Rule, string RuleText);

    /// <summary>
    /// Before a run: the visible accounts with orders in the period that lack a judgement on one of the model's judged
    /// criteria, and the rule the run will apply to them.
    /// </summary>
    public static async Task<Results<Ok<MissingResponse>, ValidationProblem>> MissingAsync(
        long? modelId, DateOnly? periodStart, DateOnly? periodEnd, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (periodStart is not { } s || periodEnd is not { } e) return Validation.Single("periodStart", $"The period (periodStart, periodEnd) is required.");
        var id = modelId ?? await EvaluationModels.DefaultModelIdAsync(db, ct);
        var model = id is null ? null : await db.EvaluationModels.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (model is null) return Validation.Single("modelId", $"There is no active evaluation model.");
        string[] keys = [.. model.Criteria.Where(c => c.Source == CriterionSource.Judged).Select(c => c.Key)];
        var (p, size) = Paging.Normalize(page, pageSize);
        var ruleText = model.MissingJudgements == MissingJudgementRule.PopulationMedian
            ? "A missing judgement counts as the median of the judgements given for that criterion in the run."
            : "A missing judgement counts as 0 points.";
        if (keys.Length == 0) return TypedResults.Ok(new MissingResponse([], 0, p, size, [], model.MissingJudgements, ruleText));

        var accounts = db.Accounts.VisibleTo(db, user)
            .Where(a => db.Orders.Any(o => o.AccountId == a.Id && o.OrderDate >= s && o.OrderDate <= e))
            .Where(a => db.JudgedScores.Count(j => j.AccountId == a.Id && j.PeriodStart == s && j.PeriodEnd == e && keys.Contains(j.Criterion)) < keys.Length);
        var total = await accounts.CountAsync(ct);
        var rows = await accounts.OrderBy(a => a.Code).Skip((p - 1) * size).Take(size).Select(a => new { a.Id, a.Code, a.Name }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToArray();
        var given = await db.JudgedScores.Where(j => ids.Contains(j.AccountId) && j.PeriodStart == s && j.PeriodEnd == e)
            .Select(j => new { j.AccountId, j.Criterion }).ToListAsync(ct);
        var items = rows.Select(r => new MissingItem(r.Id, r.Code, r.Name,
            [.. keys.Where(k => !given.Any(g => g.AccountId == r.Id && g.Criterion == k))])).ToList();
        return TypedResults.Ok(new MissingResponse(items, total, p, size, [.. keys], model.MissingJudgements, ruleText));
    }
}
