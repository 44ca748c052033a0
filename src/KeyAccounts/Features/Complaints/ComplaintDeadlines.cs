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

    public static string Field(ComplaintSeverity severity, Tier tier) => $"{severity}.{tier}";

    /// <summary>
    /// Saves some or all cells. Each must be whole hours from 1 to 2,160, and the table as it would stand afterwards must keep its
    /// order (see <see cref="ComplaintRules.OrderProblems"/>): the error names the offending cell, and nothing is saved.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem>> SaveAsync(List<Line> lines, AppDb db, CancellationToken ct)
    {
        var v = new Validation();
        foreach (var l in lines)
        {
            if (!Enum.IsDefined(l.Severity) || !Enum.IsDefined(l.Tier)) v.Add("lines", $"Unknown severity or tier.");
            else if (l.Hours is < ComplaintRules.MinHours or > ComplaintRules.MaxHours) v.Add(Field(l.Severity, l.Tier), $"Hours must be between 1 and 2160.");
        }
        foreach (var twice in lines.GroupBy(l => (l.Severity, l.Tier)).Where(g => g.Count() > 1))
            v.Add(Field(twice.Key.Severity, twice.Key.Tier), $"This deadline is given twice.");
        if (!v.IsValid) return v.Problem();
        var stored = await db.ComplaintDeadlines.ToListAsync(ct);
        int After(ComplaintSeverity s, Tier t) =>
            lines.FirstOrDefault(l => l.Severity == s && l.Tier == t)?.Hours
            ?? stored.FirstOrDefault(d => d.Severity == s && d.Tier == t)?.Hours
            ?? ComplaintRules.DefaultHours(s, t);
        foreach (var (severity, tier, problem) in ComplaintRules.OrderProblems(After)) v.Add(Field(severity, tier), $"{problem}");
        if (!v.IsValid) return v.Problem();
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
