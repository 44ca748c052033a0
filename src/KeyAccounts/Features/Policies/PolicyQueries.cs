using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Policies;

public sealed record PolicyListItem(long Id, string Name, int Priority, DateOnly ValidFrom, DateOnly? ValidTo, bool InForce, int Versions, DateTime UpdatedAt);

public sealed record VersionCoverage(long VersionId, DateOnly ValidFrom, DateOnly? ValidTo, int Priority, bool InForce, int Accounts);

public sealed record PolicyCoverage(long PolicyId, DateOnly On, IReadOnlyList<VersionCoverage> Versions);

/// <summary>What a discount would have cost on the trailing year's revenue of the accounts whose conditions hold on <see cref="On"/>.</summary>
public sealed record PolicySimulation(DateOnly On, DateOnly PeriodStart, DateOnly PeriodEnd, int Accounts, decimal Revenue12m, decimal? DiscountPercent, decimal Cost);

public static class PolicyQueries
{
    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary><c>GET /api/v1/policies?search=&amp;page=&amp;pageSize=</c>: by name, each with its current version (in force today, or the latest begun).</summary>
    public static async Task<Ok<Paged<PolicyListItem>>> ListAsync(string? search, int? page, int? pageSize, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var today = Today(clock);
        var q = db.SalesPolicies.AsNoTracking();
        if (search.SearchText() is { } s) q = q.Where(p => p.Name.Contains(s));
        var (pg, size) = Paging.Normalize(page, pageSize);
        var total = await q.CountAsync(ct);
        var policies = await q.OrderBy(p => p.Name).ThenBy(p => p.Id).Skip((pg - 1) * size).Take(size).Include(p => p.Versions).ToListAsync(ct);
        var items = policies.Select(p =>
        {
            var d = PolicyDto.From(p, today);
            return new PolicyListItem(p.Id, p.Name, d.Priority, d.ValidFrom, d.ValidTo, p.Versions.Any(v => v.HoldsOn(today)), p.Versions.Count, p.UpdatedAt);
        }).ToList();
        return TypedResults.Ok(new Paged<PolicyListItem>(items, total, pg, size));
    }

    public static async Task<Results<Ok<PolicyDto>, NotFound>> GetAsync(long id, AppDb db, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var policy = await db.SalesPolicies.AsNoTracking().Include(p => p.Versions).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (policy is null) return TypedResults.NotFound();
        if (http is not null) http.Response.Headers.ETag = ETags.For(policy.Version);
        return TypedResults.Ok(PolicyDto.From(policy, Today(clock)));
    }

    /// <summary>API.md <c>GET /api/v1/accounts/{id}/terms?on=</c>: an account the caller may not see answers 404.</summary>
    public static async Task<Results<Ok<AccountTerms>, NotFound>> TermsAsync(long id, DateOnly? on, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        return TypedResults.Ok(await db.TermsOnAsync(id, on ?? Today(clock), ct));
    }

    /// <summary><c>GET /api/v1/policies/{id}/coverage?on=</c>: for each version, how many accounts (not closed) meet its conditions on the day.</summary>
    public static async Task<Results<Ok<PolicyCoverage>, NotFound>> CoverageAsync(long id, DateOnly? on, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var policy = await db.SalesPolicies.AsNoTracking().Include(p => p.Versions).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (policy is null) return TypedResults.NotFound();
        var day = on ?? Today(clock);
        var result = new List<VersionCoverage>();
        foreach (var v in policy.Versions.OrderBy(v => v.ValidFrom))
        {
            var (count, _) = await CountAsync(db, v.Conditions, day, Today(clock), ct);
            result.Add(new VersionCoverage(v.Id, v.ValidFrom, v.ValidTo, v.Priority, v.HoldsOn(day), count));
        }
        return TypedResults.Ok(new PolicyCoverage(policy.Id, day, result));
    }

    /// <summary>
    /// <c>POST /api/v1/policies/simulate</c> with a policy as it would be created: the accounts it would apply to on <c>on</c> (today
    /// unless given), their revenue over the trailing twelve months, and what its discount would have cost on it. Nothing is saved.
    /// </summary>
    public static async Task<Results<Ok<PolicySimulation>, ValidationProblem>> SimulateAsync(
        SavePolicy.CreateRequest request, DateOnly? on, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var version = request.ToVersion() with { Priority = request.Priority ?? 0, ValidFrom = request.ValidFrom ?? Today(clock) };
        PolicyForm.CheckVersion(v, "", version);
        if (!v.IsValid) return v.Problem();
        var day = on ?? Today(clock);
        var row = new SalesPolicyVersion();
        PolicyForm.Apply(row, version);
        return TypedResults.Ok(await SimulateOnAsync(db, row.Conditions, row.DiscountPercent, day, Today(clock), ct));
    }

    public static async Task<PolicySimulation> SimulateOnAsync(AppDb db, TermsConditions conditions, decimal? discountPercent, DateOnly on, DateOnly today, CancellationToken ct)
    {
        var (count, revenue) = await CountAsync(db, conditions, on, today, ct);
        var (s, e) = SalesTerms.Trailing12Months(on);
        var cost = Math.Round(revenue * (discountPercent ?? 0) / 100m, 2, MidpointRounding.AwayFromZero);
        return new PolicySimulation(on, s, e, count, revenue, discountPercent, cost);
    }

    /// <summary>How many accounts meet the conditions on the day, and their trailing-twelve-month revenue: one grouped statement.</summary>
    public static async Task<(int Count, decimal Revenue)> CountAsync(AppDb db, TermsConditions conditions, DateOnly on, DateOnly today, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = TermsFiguresQuery.CountCommand(db.Database.GetDbConnection(), db.Engine, conditions, on, today);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            var count = Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            var revenue = r.IsDBNull(1) ? 0 : Math.Round(Convert.ToDecimal(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), 2);
            return (count, revenue);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
