using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Complaints;

/// <summary>The deadline table: stored rows override the defaults of <see cref="ComplaintRules"/>.</summary>
public static class ComplaintDeadlines
{
    public sealed record Line(ComplaintSeverity Severity, Tier Tier, int Hours);

    public static async Task<int> HoursAsync(AppDb db, ComplaintSeverity severity, Tier tier, CancellationToken ct) =>
        await db.ComplaintDeadlines.Where(d => d.Severity == severity && d.Tier == tier).Select(d => (int?)d.Hours).FirstOrDefaultAsync(ct)
        ?? ComplaintRules.DefaultHours(severity, tier);

    public static async Task<Ok<List<Line>>> ListAsync(AppDb db, CancellationToken ct)
    {
        var stored = await db.ComplaintDeadlines.AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(Enum.GetValues<ComplaintSeverity>().SelectMany(s => Enum.GetValues<Tier>().Select(t =>
            new Line(s, t, stored.FirstOrDefault(d => d.Severity == s && d.Tier == t)?.Hours ?? ComplaintRules.DefaultHours(s, t)))).ToList());
    }

    public static async Task<Results<NoContent, ValidationProblem>> SaveAsync(List<Line> lines, AppDb db, CancellationToken ct)
    {
        var v = new Validation();
        foreach (var l in lines)
            if (l.Hours is < 1 or > 24 * 90) v.Add($"{l.Severity}.{l.Tier}", "Hours must be between 1 and 2160.");
        if (!v.IsValid) return v.Problem();
        var stored = await db.ComplaintDeadlines.ToListAsync(ct);
        foreach (var l in lines)
        {
            var d = stored.FirstOrDefault(x => x.Severity == l.Severity && x.Tier == l.Tier);
            if (d is null) db.ComplaintDeadlines.Add(d = new ComplaintDeadline { Severity = l.Severity, Tier = l.Tier });
            d.Hours = l.Hours;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
