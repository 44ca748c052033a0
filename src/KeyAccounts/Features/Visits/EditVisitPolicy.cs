using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Visits;

public sealed record VisitPolicyDto(Tier Tier, int LeadershipPerYear, int TechnicalPerYear, int BusinessPerYear, int EscalateAfterDays);

public static class GetVisitPolicy
{
    public static async Task<Ok<IReadOnlyList<VisitPolicyDto>>> HandleAsync(AppDb db, CancellationToken ct)
    {
        var all = await VisitPolicies.LoadAsync(db, ct);
        return TypedResults.Ok<IReadOnlyList<VisitPolicyDto>>([.. all.Select(p =>
            new VisitPolicyDto(p.Key, p.Value.LeadershipPerYear, p.Value.TechnicalPerYear, p.Value.BusinessPerYear, p.Value.EscalateAfterDays))]);
    }
}

/// <summary>The administrator sets the visit frequency and the escalation threshold of each tier (访问频次政策).</summary>
public static class EditVisitPolicy
{
    public static async Task<Results<Ok<IReadOnlyList<VisitPolicyDto>>, ValidationProblem>> HandleAsync(
        IReadOnlyList<VisitPolicyDto> request, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (request.Count == 0) v.Add("tiers", $"Name at least one tier.");
        foreach (var dup in request.GroupBy(p => p.Tier).Where(g => g.Count() > 1)) v.Add("tiers", $"{dup.Key} is named twice.");
        for (var i = 0; i < request.Count; i++)
        {
            var p = request[i];
            foreach (var (name, value) in new[] { ("leadershipPerYear", p.LeadershipPerYear), ("technicalPerYear", p.TechnicalPerYear), ("businessPerYear", p.BusinessPerYear) })
                if (value is < 0 or > 365) v.Add($"[{i}].{name}", $"{name} must be between 0 and 365.");
            if (p.EscalateAfterDays is < 0 or > 3650) v.Add($"[{i}].escalateAfterDays", $"escalateAfterDays must be between 0 (never) and 3650.");
        }
        if (!v.IsValid) return v.Problem();

        var stored = await db.VisitPolicies.ToDictionaryAsync(p => p.Tier, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var p in request)
        {
            if (!stored.TryGetValue(p.Tier, out var row))
            {
                row = new VisitPolicy { Tier = p.Tier, Version = 1 };
                db.VisitPolicies.Add(row);
            }
            row.LeadershipPerYear = p.LeadershipPerYear;
            row.TechnicalPerYear = p.TechnicalPerYear;
            row.BusinessPerYear = p.BusinessPerYear;
            row.EscalateAfterDays = p.EscalateAfterDays;
            row.UpdatedAt = now;
        }
        await db.SaveChangesAsync(ct);
        var saved = await GetVisitPolicy.HandleAsync(db, ct);
        return TypedResults.Ok(saved.Value!);
    }
}
