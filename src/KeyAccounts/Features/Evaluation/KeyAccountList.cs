using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;

namespace KeyAccounts.Features.Evaluation;

/// <summary>API.md <c>GET /api/v1/key-accounts</c>: the key accounts of the latest published run, best first.</summary>
public static class KeyAccountList
{
    public sealed record Item(
        long AccountId, string AccountCode, string AccountName, string? OwnerName, decimal Score, int Rank, TierChange Change,
        Tier? PreviousTier, long RunId, DateOnly PeriodStart, DateOnly PeriodEnd);

    public static async Task<Ok<Paged<Item>>> HandleAsync(int? page, int? pageSize, string? search, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var rows = await QueryAsync(db, user, search, ct);
        return TypedResults.Ok(rows is null ? new Paged<Item>([], 0, 1, Paging.Normalize(page, pageSize).PageSize) : await rows.ToPagedAsync(page, pageSize, ct));
    }

    public static async Task<IQueryable<Item>?> QueryAsync(AppDb db, CurrentUser user, string? search, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.AsNoTracking().Where(r => r.Status == RunStatus.Published)
            .OrderByDescending(r => r.PublishedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (run is null) return null;
        var accounts = db.Accounts.VisibleTo(db, user);
        if (search.SearchText() is { } s) accounts = accounts.Where(a => a.Code.StartsWith(s) || a.Name.Contains(s));
        return from r in db.EvaluationResults.AsNoTracking()
               where r.RunId == run.Id && r.Tier == Tier.Key
               join a in accounts on r.AccountId equals a.Id
               orderby r.Rank
               select new Item(a.Id, a.Code, a.Name, a.Owner != null ? a.Owner.DisplayName : null, r.Score, r.Rank, r.Change, r.PreviousTier,
                   run.Id, run.PeriodStart, run.PeriodEnd);
    }

    public sealed record Row(
        [property: ExcelColumnName("rank")] int Rank,
        [property: ExcelColumnName("code")] string Code,
        [property: ExcelColumnName("name")] string Name,
        [property: ExcelColumnName("owner")] string? Owner,
        [property: ExcelColumnName("score")] decimal Score,
        [property: ExcelColumnName("change")] string Change,
        [property: ExcelColumnName("previousTier")] string? PreviousTier,
        [property: ExcelColumnName("period")] string Period);

    /// <summary>The list as .xlsx, streamed from the query.</summary>
    public static async Task<PushStreamHttpResult> ExportAsync(AppDb db, CurrentUser user, TimeProvider clock, HttpContext http)
    {
        var rows = await QueryAsync(db, user, null, http.RequestAborted);
        var items = (rows?.AsEnumerable() ?? []).Select(i => new Row(i.Rank, SpreadsheetCells.Text(i.AccountCode), SpreadsheetCells.Text(i.AccountName), SpreadsheetCells.Text(i.OwnerName), i.Score, i.Change.ToString(),
            i.PreviousTier?.ToString(), $"{i.PeriodStart:yyyy-MM-dd}..{i.PeriodEnd:yyyy-MM-dd}"));
        var words = Texts.AskedLanguage(http) is null ? null : Texts.For<EvaluationText>();
        return TypedResults.Stream(async body =>
        {
            // MiniExcel writes a zip, which needs a seekable stream; the buffer holds the compressed file only.
            using var buffer = new MemoryStream();
            // In the requester's language when they asked for one (Texts.AskedLanguage): headers, change and tier in words.
            if (words is null) await buffer.SaveAsAsync(items, cancellationToken: http.RequestAborted);
            else await buffer.SaveAsAsync(items.Select(r => new Dictionary<string, object?>
            {
                [words["Export.rank"]] = r.Rank,
                [words["Export.code"]] = r.Code,
                [words["Export.name"]] = r.Name,
                [words["Export.owner"]] = r.Owner,
                [words["Export.score"]] = r.Score,
                [words["Export.change"]] = words[$"Change.{r.Change}"].Value,
                [words["Export.previousTier"]] = r.PreviousTier is null ? null : words[$"Tier.{r.PreviousTier}"].Value,
                [words["Export.period"]] = r.Period,
            }), cancellationToken: http.RequestAborted);
            buffer.Position = 0;
            await buffer.CopyToAsync(body, http.RequestAborted);
        }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"key-accounts-{clock.GetUtcNow():yyyyMMdd}.xlsx");
    }
}

/// <summary>An account's tier over every published run, and why it moved.</summary>
public static class TierHistory
{
    public sealed record Entry(
        long RunId, DateOnly PeriodStart, DateOnly PeriodEnd, DateTime? PublishedAt, string ModelName, int ModelVersion, decimal Score, int Rank,
        Tier Tier, Tier? PreviousTier, TierChange Change, IReadOnlyList<MovedFactor> MovedMost, string? OverrideReason, string? Explanation);

    public static async Task<Results<Ok<List<Entry>>, NotFound>> HandleAsync(long accountId, AppDb db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == accountId, ct)) return TypedResults.NotFound();
        // From the published runs to this account's row in each: one key lookup per run.
        var rows = await (from run in db.EvaluationRuns.AsNoTracking()
                          where run.Status == RunStatus.Published
                          join r in db.EvaluationResults.AsNoTracking() on new { RunId = run.Id, AccountId = accountId } equals new { r.RunId, r.AccountId }
                          orderby run.PublishedAt
                          select new { r, run }).Take(200).ToListAsync(ct);
        var criteria = await RunCriteria.OfRunsAsync(db, rows.Select(x => x.run.Id), ct);
        var entries = new List<Entry>();
        IReadOnlyList<Analytics.FactorScore>? before = null;
        foreach (var x in rows)
        {
            var factors = criteria[x.run.Id].Factors(x.r.FactorValues);
            entries.Add(new Entry(x.run.Id, x.run.PeriodStart, x.run.PeriodEnd, x.run.PublishedAt, x.run.ModelName, x.run.ModelVersion, x.r.Score,
                x.r.Rank, x.r.Tier, x.r.PreviousTier, x.r.Change,
                [.. Analytics.Scoring.MovedMost(factors, before).Select(m => new MovedFactor(m.Criterion, m.Delta))], x.r.OverrideReason,
                JudgementWords.Explain(x.r.Explanation, criteria[x.run.Id].Names)));
            before = factors;
        }
        return TypedResults.Ok(entries);
    }
}
