using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Approvals;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Evaluation;

public sealed record MovedFactor(string Criterion, decimal Delta);

/// <summary>API.md's result item (accountId … factors), plus what the run page shows next to it.</summary>
public sealed record EvaluationResultDto(
    long AccountId, string AccountCode, string AccountName, decimal Score, int Rank, Tier Tier, Tier ProposedTier, Tier? PreviousTier,
    TierChange Change, IReadOnlyList<FactorScore> Factors, IReadOnlyList<MovedFactor> MovedMost, string? Explanation, string? OverrideReason);

/// <summary>Runs and their results, read within the caller's book.</summary>
public static class EvaluationRuns
{
    public sealed record RunSummary(EvaluationRunDto Run, Dictionary<TierChange, int> Changes, Dictionary<Tier, int> Tiers);

    public static async Task<Ok<Paged<EvaluationRunDto>>> ListAsync(int? page, int? pageSize, AppDb db, CancellationToken ct)
    {
        var paged = await db.EvaluationRuns.OrderByDescending(r => r.Id).ToPagedAsync(page, pageSize, ct);
        return TypedResults.Ok(new Paged<EvaluationRunDto>([.. paged.Items.Select(EvaluationRunDto.From)], paged.Total, paged.Page, paged.PageSize));
    }

    /// <summary>The run with its counts by change and by tier over the accounts the caller may see.</summary>
    public static async Task<Results<Ok<RunSummary>, NotFound>> GetAsync(long id, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return TypedResults.NotFound();
        var visible = Visible(db, user, id);
        var changes = await visible.GroupBy(r => r.Change).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var tiers = await visible.GroupBy(r => r.Tier).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return TypedResults.Ok(new RunSummary(EvaluationRunDto.From(run),
            Enum.GetValues<TierChange>().ToDictionary(c => c, c => changes.FirstOrDefault(x => x.Key == c)?.Count ?? 0),
            Enum.GetValues<Tier>().ToDictionary(t => t, t => tiers.FirstOrDefault(x => x.Key == t)?.Count ?? 0)));
    }

    private static IQueryable<EvaluationResult> Visible(AppDb db, CurrentUser user, long runId)
    {
        var results = db.EvaluationResults.AsNoTracking().Where(r => r.RunId == runId);
        if (user.Scope == DataScope.All) return results;
        var ids = db.VisibleAccountIds(user);
        return results.Where(r => ids.Contains(r.AccountId));
    }

    public sealed record ResultsQuery(int? Page, int? PageSize, TierChange? Change, Tier? Tier, string? Search);

    /// <summary>API.md <c>GET /api/v1/evaluation/runs/{id}/results</c>: by rank, filtered on the server, only visible accounts.</summary>
    public static async Task<Results<Ok<Paged<EvaluationResultDto>>, NotFound>> ResultsAsync(
        long id, [AsParameters] ResultsQuery query, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return TypedResults.NotFound();
        var results = Visible(db, user, id);
        if (query.Change is { } change) results = results.Where(r => r.Change == change);
        if (query.Tier is { } tier) results = results.Where(r => r.Tier == tier);
        var rows = from r in results
                   join a in db.Accounts on r.AccountId equals a.Id
                   select new { r, a.Code, a.Name };
        if (query.Search.SearchText() is { } search) rows = rows.Where(x => x.Code.StartsWith(search) || x.Name.Contains(search));
        var paged = await rows.OrderBy(x => x.r.Rank).ToPagedAsync(query.Page, query.PageSize, ct);
        var read = await FactorReader.ForAsync(db, run, [.. paged.Items.Select(x => x.r.AccountId)], ct);
        return TypedResults.Ok(new Paged<EvaluationResultDto>(
            [.. paged.Items.Select(x => read.ToDto(x.r, x.Code, x.Name))], paged.Total, paged.Page, paged.PageSize));
    }

    /// <summary>Reads results of one run with their factors and what moved most since the run it was compared with.</summary>
    private sealed class FactorReader(RunCriteria criteria, RunCriteria? previousCriteria, Dictionary<long, string> previous)
    {
        public static async Task<FactorReader> ForAsync(AppDb db, EvaluationRun run, long[] accountIds, CancellationToken ct)
        {
            var criteria = await RunCriteria.OfRunsAsync(db, [run.Id, .. run.PreviousRunId is { } p ? [p] : Array.Empty<long>()], ct);
            var previous = run.PreviousRunId is not { } previousRunId || accountIds.Length == 0
                ? []
                : await db.EvaluationResults.AsNoTracking().Where(p => p.RunId == previousRunId && accountIds.Contains(p.AccountId))
                    .ToDictionaryAsync(p => p.AccountId, p => p.FactorValues, ct);
            return new FactorReader(criteria[run.Id], run.PreviousRunId is { } id ? criteria[id] : null, previous);
        }

        public EvaluationResultDto ToDto(EvaluationResult r, string code, string name)
        {
            var factors = criteria.Factors(r.FactorValues);
            var before = previousCriteria is not null && previous.TryGetValue(r.AccountId, out var stored) ? previousCriteria.Factors(stored) : null;
            return new(r.AccountId, code, name, r.Score, r.Rank, r.Tier, r.ProposedTier, r.PreviousTier, r.Change, factors,
                [.. Scoring.MovedMost(factors, before).Select(m => new MovedFactor(m.Criterion, m.Delta))], JudgementWords.Explain(r.Explanation, criteria.Names),
                r.OverrideReason);
        }
    }

    public sealed record OverrideRequest(Tier? Tier, string? Reason);

    /// <summary>A manager replaces the proposed tier of an account in their book, with a reason; not once the run is published.</summary>
    public static async Task<Results<Ok<EvaluationResultDto>, NotFound, ForbidHttpResult, ValidationProblem, Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>>> OverrideAsync(
        long id, long accountId, OverrideRequest request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        var account = await db.Accounts.VisibleTo(db, user).Where(a => a.Id == accountId).Select(a => new { a.Code, a.Name }).FirstOrDefaultAsync(ct);
        if (run is null || account is null) return TypedResults.NotFound();
        if (!user.IsManagerOrAbove) return TypedResults.Forbid();
        var result = await db.EvaluationResults.FirstOrDefaultAsync(r => r.RunId == id && r.AccountId == accountId, ct);
        if (result is null) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == accountId, ct)) return TypedResults.Forbid();
        if (run.Status == RunStatus.Published)
            return Problems.Conflict("Run published", $"Run {id} was published on {run.PublishedAt:yyyy-MM-dd}; a published run cannot change. Override in the next run.");
        if (run.Status == RunStatus.Rejected)
            return Problems.Conflict("Run rejected", $"Run {id} was rejected; a rejected run cannot change. Override in the next run.");
        var v = new Validation();
        if (request.Tier is null) v.Add("tier", $"Name the tier.");
        v.Require("reason", request.Reason, 500);
        if (!v.IsValid) return v.Problem();

        result.Tier = request.Tier!.Value;
        result.Change = TierScoring.Classify(result.PreviousTier, result.Tier);
        result.OverrideReason = result.Tier == result.ProposedTier ? null : request.Reason!.Trim();
        result.OverriddenById = user.Id;
        result.OverriddenAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        var read = await FactorReader.ForAsync(db, run, [accountId], ct);
        return TypedResults.Ok(read.ToDto(result, account.Code, account.Name));
    }

    /// <summary>
    /// Publishes the run (the API's <c>POST …/approve</c> asks for a confirmation first: <see cref="RunDecisions.ApproveAsync"/>) as the
    /// user's approval of the run's request in the approval engine, for every step at once; the engine calls <see cref="PublishAsync"/>.
    /// </summary>
    public static async Task<Results<Ok<EvaluationRunDto>, NotFound, ForbidHttpResult, Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>>> ApproveAsync(
        long id, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct, IServiceProvider? services = null)
    {
        if (!user.EditsEverything) return TypedResults.Forbid();
        var run = await db.EvaluationRuns.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return TypedResults.NotFound();
        if (run.Status == RunStatus.Published)
            return Problems.Conflict("Run published", $"Run {id} was already published on {run.PublishedAt:yyyy-MM-dd}.");
        if (run.Status != RunStatus.Proposed)
            return Problems.Conflict("Run not awaiting approval", $"Run {id} is {run.Status}: only a run awaiting approval can be published.");
        db.Clock = clock;
        if (await db.DecideForDocumentAsync(ApprovalFlows.EvaluationRun, id, ApprovalState.Approved, null, user,
                () => EvaluationRunApproval.Submission(run, run.CreatedById), services, ct) is { } refused)
            return Problems.Conflict("Run not published", refused);
        return TypedResults.Ok(EvaluationRunDto.From(run));
    }

    /// <summary>
    /// Publishes an approved run inside the caller's transaction (the approval engine's decision). Accounts whose tier differs take the
    /// run's tier in one statement, each change audited with the run that made it; then the owners of the accounts that moved, and their
    /// line managers, are told what changed for them (<see cref="RunNotifications"/>).
    /// </summary>
    public static async Task PublishAsync(AppDb db, EvaluationRun run, string userId, string userName, DateTime now, CancellationToken ct)
    {
        var id = run.Id;
        // Read before the tiers change: afterwards every result agrees with its account.
        var moves = await RunPublication.MovesAsync(db, id, ct);
        run.Status = RunStatus.Published;
        run.PublishedAt = now;
        run.PublishedById = userId;
        run.DecidedAt = now;
        run.DecidedById = userId;
        await db.SaveChangesAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync($$"""
            INSERT INTO "AuditEntries" ("At", "UserId", "UserName", "Entity", "EntityKey", "AccountId", "Action", "Before", "After")
            SELECT {{now}}, {{userId}}, {{userName}}, 'Account', a."Code", a."Id", 'Updated',
                   '{"Tier":"' || a."Tier" || '"}', '{"Tier":"' || r."Tier" || '","EvaluationRun":' || CAST(r."RunId" AS VARCHAR(20)) || '}'
            FROM "EvaluationResults" r JOIN "Accounts" a ON a."Id" = r."AccountId"
            WHERE r."RunId" = {{id}} AND r."Tier" <> a."Tier"
            """, ct);
        // One statement for both engines: UPDATE … FROM with the target named in full.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE "Accounts" SET "Tier" = r."Tier", "UpdatedAt" = {now}, "Version" = "Accounts"."Version" + 1
            FROM "EvaluationResults" r WHERE r."RunId" = {id} AND r."AccountId" = "Accounts"."Id" AND r."Tier" <> "Accounts"."Tier"
            """, ct);
        await RunNotifications.PublishedAsync(db, run, moves, ct);
    }
}
