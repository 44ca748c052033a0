using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Care;

/// <summary>The yearly care budget per tier, and what was spent against it (by tier and by account owner) within the caller's view.</summary>
public static class CareBudgets
{
    public sealed record TierLine(Tier Tier, decimal Budget, decimal Spent);

    public sealed record OwnerLine(string OwnerId, string OwnerName, decimal Spent, int Actions);

    public sealed record Report(int Year, IReadOnlyList<TierLine> Tiers, IReadOnlyList<OwnerLine> Owners);

    public sealed record BudgetRequest(int Year, IReadOnlyList<BudgetItem> Items);

    public sealed record BudgetItem(Tier Tier, decimal Amount);

    public static async Task<Ok<Report>> GetAsync(int? year, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var y = year ?? clock.GetUtcNow().Year;
        var from = new DateOnly(y, 1, 1);
        var to = new DateOnly(y, 12, 31);
        var visible = db.Accounts.VisibleTo(db, user);
        var actions = db.CareActions.Where(c => c.TakenOn >= from && c.TakenOn <= to)
            .Join(visible, c => c.AccountId, a => a.Id, (c, a) => new { c.Cost, a.Tier, a.OwnerId });
        var byTier = await actions.GroupBy(x => x.Tier).Select(g => new { Tier = g.Key, Spent = g.Sum(x => x.Cost) }).ToListAsync(ct);
        var byOwner = await actions.GroupBy(x => x.OwnerId).Select(g => new { OwnerId = g.Key, Spent = g.Sum(x => x.Cost), Actions = g.Count() }).ToListAsync(ct);
        var ownerIds = byOwner.Select(o => o.OwnerId).ToList();
        var names = await db.Users.Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var budgets = await db.CareBudgets.Where(b => b.Year == y).ToDictionaryAsync(b => b.Tier, b => b.Amount, ct);
        var tiers = Enum.GetValues<Tier>().Select(t => new TierLine(t, budgets.GetValueOrDefault(t), byTier.FirstOrDefault(x => x.Tier == t)?.Spent ?? 0)).ToList();
        var owners = byOwner.Select(o => new OwnerLine(o.OwnerId, names.GetValueOrDefault(o.OwnerId) ?? o.OwnerId, o.Spent, o.Actions))
            .OrderByDescending(o => o.Spent).ToList();
        return TypedResults.Ok(new Report(y, tiers, owners));
    }

    public static async Task<Results<NoContent, ValidationProblem>> SaveAsync(BudgetRequest request, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (request.Year is < 2000 or > 2100) v.Add("year", $"year must be between 2000 and 2100.");
        // The API refuses a body without items before this runs (TextInput); a caller in process gets the same answer.
        if (request.Items is null) return v.Add("items", TextInput.Missing("items")).Problem();
        foreach (var item in request.Items)
            if (item.Amount is < 0 or > 1_000_000_000) v.Add($"items.{item.Tier}", $"A budget must be between 0 and 1,000,000,000.");
        if (!v.IsValid) return v.Problem();
        var stored = await db.CareBudgets.Where(b => b.Year == request.Year).ToListAsync(ct);
        foreach (var item in request.Items)
        {
            var b = stored.FirstOrDefault(x => x.Tier == item.Tier);
            if (b is null) db.CareBudgets.Add(b = new CareBudget { Year = request.Year, Tier = item.Tier });
            b.Amount = Math.Round(item.Amount, 2, MidpointRounding.AwayFromZero);
            b.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
