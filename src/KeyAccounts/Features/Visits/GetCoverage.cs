using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Visits;

/// <param name="RequiredBy">The sales policy whose visits per year set <paramref name="Required"/>; null when the tier table did.</param>
public sealed record CoverageItem(long AccountId, VisitLevel Level, int Required, int Done, string? RequiredBy = null);

public sealed record CoverageCell(VisitLevel Level, int Required, int Done, string? RequiredBy = null)
{
    public bool IsGap => Done < Required;
}

public sealed record CoverageRow(long AccountId, string Code, string Name, Tier Tier, string OwnerId, string OwnerName, IReadOnlyList<CoverageCell> Cells)
{
    public bool HasGap => Cells.Any(c => c.IsGap);
}

public sealed record CoverageSummary(int Accounts, int FullyCovered, IReadOnlyDictionary<VisitLevel, int> GapsByLevel);

public sealed record CoverageBoard(DateOnly PeriodStart, DateOnly PeriodEnd, CoverageSummary Summary, Paged<CoverageRow> Rows);

/// <summary>
/// 覆盖看板: for each account of a tier (key accounts unless told) and each level, visits required in the period by the
/// tier's policy against visits done (recorded with a visit day in the period). The accounts of the board (a few thousand
/// at most per tier) are read as bare ids, and the visits done counted by one grouped query over the (AccountId,
/// VisitedOn, Level) index; requirements, gaps and the summary are then plain arithmetic.
/// </summary>
public static class GetCoverage
{
    public sealed record Query(
        DateOnly? PeriodStart = null, DateOnly? PeriodEnd = null, Tier? Tier = null, string? OwnerId = null, int? DepartmentId = null,
        bool? GapsOnly = null, int? Page = null, int? PageSize = null);

    /// <summary>API.md: items { accountId, level, required, done }, three per account (leadership, technical, business), paged by item.</summary>
    public static async Task<Results<Ok<Paged<CoverageItem>>, ValidationProblem>> HandleAsync(
        [AsParameters] Query q, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var (page, size) = Paging.Normalize(q.Page, q.PageSize);
        var levels = VisitFrequency.Levels.Count;
        var first = (page - 1) * size;
        var firstAccount = first / levels;
        var accountCount = (first + size + levels - 1) / levels - firstAccount;
        var board = await LoadAsync(q, db, user, clock, firstAccount, accountCount, ct);
        if (board.Result is ValidationProblem problem) return problem;
        var b = ((Ok<CoverageBoard>)board.Result).Value!;
        var items = b.Rows.Items.SelectMany(r => r.Cells.Select(c => new CoverageItem(r.AccountId, c.Level, c.Required, c.Done, c.RequiredBy)))
            .Skip(first - firstAccount * levels).Take(size).ToList();
        return TypedResults.Ok(new Paged<CoverageItem>(items, b.Rows.Total * levels, page, size));
    }

    public static async Task<Results<Ok<CoverageBoard>, ValidationProblem>> BoardAsync(
        [AsParameters] Query q, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var (page, size) = Paging.Normalize(q.Page, q.PageSize);
        var board = await LoadAsync(q, db, user, clock, (page - 1) * size, size, ct);
        if (board.Result is Ok<CoverageBoard> ok)
            return TypedResults.Ok(ok.Value! with { Rows = ok.Value!.Rows with { Page = page, PageSize = size } });
        return (ValidationProblem)board.Result;
    }

    public static async Task<Results<Ok<CoverageBoard>, ValidationProblem>> LoadAsync(
        Query q, AppDb db, CurrentUser user, TimeProvider clock, int skipAccounts, int takeAccounts, CancellationToken ct)
    {
        var (quarterStart, quarterEnd) = VisitFrequency.QuarterOf(VisitRules.Today(clock));
        var start = q.PeriodStart ?? quarterStart;
        var end = q.PeriodEnd ?? (q.PeriodStart is null ? quarterEnd : start.AddMonths(3).AddDays(-1));
        if (end < start) return Validation.Single("periodEnd", $"periodEnd is before periodStart.");
        if (end.DayNumber - start.DayNumber > 366 * 5) return Validation.Single("periodEnd", $"The period may be at most five years.");

        var tier = q.Tier ?? Tier.Key;
        var accounts = (await db.Accounts.VisibleToAsync(db, user, ct)).Where(a => a.Tier == tier && a.Status != AccountStatus.Closed);
        if (q.OwnerId.Trimmed() is { } owner) accounts = accounts.Where(a => a.OwnerId == owner);
        if (q.DepartmentId is { } departmentId)
        {
            var subtree = await DepartmentTree.Subtree(db, db.Departments.Where(d => d.Id == departmentId).Select(d => d.Id)).ToArrayAsync(ct);
            accounts = accounts.Where(a => subtree.Contains(a.DepartmentId!.Value));
        }

        var policy = (await VisitPolicies.LoadAsync(db, ct))[tier];
        var required = VisitFrequency.Levels.ToDictionary(l => l, l => VisitFrequency.Required(policy.PerYear(l), start, end));

        var book = await accounts.OrderBy(a => a.Name).ThenBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var done = await db.Visits
            // The ids go as one parameter list: both engines then probe the (AccountId, VisitedOn, Level) index per account
            // instead of reading every visit of the period and joining.
            .Where(v => book.Contains(v.AccountId) && v.VisitedOn >= start && v.VisitedOn <= end)
            .GroupBy(v => new { v.AccountId, v.Level })
            .Select(g => new { g.Key.AccountId, g.Key.Level, Count = g.Count() })
            .ToListAsync(ct);
        var doneBy = done.ToDictionary(d => (d.AccountId, d.Level), d => d.Count);
        // Visits per year set by a sales policy override the tier table for the accounts it covers, level by level (as in force at
        // the period's end, or today while the period runs).
        var today = VisitRules.Today(clock);
        var overrides = await Policies.AccountTermsQueries.VisitOverridesAsync(db, tier, end < today ? end : today, ct);
        int Required(long id, VisitLevel l) =>
            overrides.TryGetValue(id, out var o) && o.PerYear[(int)l] is { } perYear ? VisitFrequency.Required(perYear, start, end) : required[l];
        string? RequiredBy(long id, VisitLevel l) => overrides.TryGetValue(id, out var o) ? o.By[(int)l] : null;
        List<CoverageCell> Cells(long id) => [.. VisitFrequency.Levels.Select(l => new CoverageCell(l, Required(id, l), doneBy.GetValueOrDefault((id, l)), RequiredBy(id, l)))];
        bool HasGap(long id) => VisitFrequency.Levels.Any(l => doneBy.GetValueOrDefault((id, l)) < Required(id, l));

        var gapsByLevel = VisitFrequency.Levels.ToDictionary(l => l, l => book.Count(id => doneBy.GetValueOrDefault((id, l)) < Required(id, l)));
        var summary = new CoverageSummary(book.Count, book.Count(id => !HasGap(id)), gapsByLevel);
        var listed = q.GapsOnly == true ? book.Where(HasGap).ToList() : book;
        var pageIds = listed.Skip(skipAccounts).Take(takeAccounts).ToList();
        var details = await db.Accounts.Where(a => pageIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Code, a.Name, a.Tier, a.OwnerId, OwnerName = a.Owner!.DisplayName })
            .ToDictionaryAsync(a => a.Id, ct);
        var rows = pageIds.Where(details.ContainsKey).Select(id => details[id])
            .Select(a => new CoverageRow(a.Id, a.Code, a.Name, a.Tier, a.OwnerId, a.OwnerName, Cells(a.Id))).ToList();
        var size = Math.Max(1, takeAccounts);
        return TypedResults.Ok(new CoverageBoard(start, end, summary, new Paged<CoverageRow>(rows, listed.Count, skipAccounts / size + 1, size)));
    }
}
