using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Policies;
using KeyAccounts.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Quotes;

/// <summary>
/// How a quote line is priced. The list price comes from the most specific price list valid on the day that has the product
/// (the account's own list, else its tier's, else the standard list; among lists of one kind the latest start wins). The account's
/// policy discount applies to it, then the extra discount asked for applies to what is left:
/// unit price = list price × (1 − policy %) × (1 − extra %), rounded to the fen; amount = unit price × quantity, rounded to the
/// fen; both half away from zero. Totals are sums of lines.
/// </summary>
public static class QuotePricing
{
    /// <summary>A line as asked for: the product, how many, and an optional extra discount in percent.</summary>
    public sealed record LineRequest(long? ProductId, decimal? Quantity, decimal? RequestedDiscountPercent);

    /// <summary>A priced line and the explanation of its price.</summary>
    public sealed record PricedLine(int LineNo, long ProductId, string ProductCode, string ProductName, decimal Quantity, decimal ListPrice,
        long? PriceListId, string PriceListName, decimal PolicyDiscountPercent, string? PolicyRule, decimal RequestedDiscountPercent,
        decimal UnitPrice, decimal Amount);

    /// <summary>Priced lines with their totals; <see cref="BeyondPolicy"/> when any line asks for more than the policy gives.</summary>
    public sealed record Priced(IReadOnlyList<PricedLine> Lines, decimal ListTotal, decimal Total, decimal DiscountPercent,
        decimal PolicyDiscountPercent, string? PolicyRule, bool BeyondPolicy);

    public sealed record ListPrice(long ProductId, decimal Price, long PriceListId, string PriceListName, PriceListScope Scope);

    /// <summary>Rounds to the fen, half away from zero (0.005 → 0.01), as money is everywhere in the product.</summary>
    public static decimal Fen(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    public static decimal UnitPrice(decimal listPrice, decimal policyDiscountPercent, decimal requestedDiscountPercent) =>
        Fen(listPrice * (100m - policyDiscountPercent) / 100m * (100m - requestedDiscountPercent) / 100m);

    public static decimal Amount(decimal unitPrice, decimal quantity) => Fen(unitPrice * quantity);

    /// <summary>The overall discount of amounts against list amounts, in percent to two places.</summary>
    public static decimal DiscountPercent(decimal listTotal, decimal total) =>
        listTotal == 0 ? 0 : Math.Round((1 - total / listTotal) * 100m, 2, MidpointRounding.AwayFromZero);

    private static int Specificity(PriceListScope scope) => scope switch { PriceListScope.Account => 2, PriceListScope.Tier => 1, _ => 0 };

    /// <summary>The list price of each of <paramref name="productIds"/> that has one for the account on <paramref name="on"/>.</summary>
    public static async Task<Dictionary<long, ListPrice>> ListPricesAsync(AppDb db, long accountId, Tier tier, IReadOnlyCollection<long> productIds,
        DateOnly on, CancellationToken ct)
    {
        long[] ids = [.. productIds.Distinct()];
        var lists = db.PriceLists.Where(p => p.ValidFrom <= on && (p.ValidTo == null || p.ValidTo >= on)
            && (p.Scope == PriceListScope.Standard
                || (p.Scope == PriceListScope.Tier && p.Tier == tier)
                || (p.Scope == PriceListScope.Account && p.AccountId == accountId)));
        var rows = await db.PriceListLines.Where(l => ids.Contains(l.ProductId))
            .Join(lists, l => l.PriceListId, p => p.Id, (l, p) => new { l.ProductId, l.UnitPrice, p.Id, p.Name, p.Scope, p.ValidFrom })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.ProductId).ToDictionary(g => g.Key, g => g
            .OrderByDescending(r => Specificity(r.Scope)).ThenByDescending(r => r.ValidFrom).ThenByDescending(r => r.Id)
            .Select(r => new ListPrice(r.ProductId, r.UnitPrice, r.Id, r.Name, r.Scope)).First());
    }

    /// <summary>
    /// Prices <paramref name="lines"/> for the account on <paramref name="on"/>, or says field by field what is wrong with them
    /// (<c>lines[i].productId</c>, <c>lines[i].quantity</c>, <c>lines[i].requestedDiscountPercent</c>).
    /// </summary>
    public static async Task<Priced?> PriceAsync(AppDb db, long accountId, IReadOnlyList<LineRequest>? lines, DateOnly on, Validation v, CancellationToken ct)
    {
        if (lines is null || lines.Count == 0)
        {
            v.Add("lines", $"A quote needs at least one line.");
            return null;
        }
        if (lines.Count > 200) v.Add("lines", $"A quote has at most 200 lines.");
        long[] productIds = [.. lines.Where(l => l?.ProductId is not null).Select(l => l.ProductId!.Value).Distinct()];
        var products = await db.Products.Where(p => productIds.Contains(p.Id)).Select(p => new { p.Id, p.Code, p.Name }).ToDictionaryAsync(p => p.Id, ct);
        var tier = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Tier).FirstAsync(ct);
        var prices = await ListPricesAsync(db, accountId, tier, productIds, on, ct);
        var terms = await db.TermsOnAsync(accountId, on, ct);
        var policy = terms.DiscountPercent ?? 0m;
        var rule = terms.Rules.Count == 0 ? null : string.Join("; ", terms.Rules.Select(r => r.Name));
        if (rule is { Length: > 400 }) rule = rule[..400];

        var priced = new List<PricedLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var at = $"lines[{i}]";
            if (line?.ProductId is not { } productId) v.Add($"{at}.productId", $"Choose a product.");
            else if (!products.ContainsKey(productId)) v.Add($"{at}.productId", $"There is no product {productId}.");
            else if (!prices.ContainsKey(productId)) v.Add($"{at}.productId", $"{products[productId].Code} has no list price on {on:yyyy-MM-dd}.");
            if (line?.Quantity is not { } quantity || quantity <= 0) v.Add($"{at}.quantity", $"The quantity must be more than 0.");
            else if (quantity > 1_000_000_000m || decimal.Round(quantity, 4) != quantity) v.Add($"{at}.quantity", $"The quantity must be at most 1,000,000,000 with at most 4 decimals.");
            var requested = line?.RequestedDiscountPercent ?? 0m;
            if (requested is < 0 or > 100) v.Add($"{at}.requestedDiscountPercent", $"A discount is between 0 and 100 %.");
            else if (decimal.Round(requested, 2) != requested) v.Add($"{at}.requestedDiscountPercent", $"A discount has at most 2 decimals.");
            if (!v.IsValid) continue;
            var list = prices[line!.ProductId!.Value];
            var product = products[list.ProductId];
            var unit = UnitPrice(list.Price, policy, requested);
            priced.Add(new PricedLine(i + 1, product.Id, product.Code, product.Name, line.Quantity!.Value, list.Price, list.PriceListId, list.PriceListName,
                policy, rule, requested, unit, Amount(unit, line.Quantity.Value)));
        }
        if (!v.IsValid) return null;
        var listTotal = priced.Sum(l => Fen(l.ListPrice * l.Quantity));
        var total = priced.Sum(l => l.Amount);
        return new Priced(priced, listTotal, total, DiscountPercent(listTotal, total), policy, rule, priced.Any(l => l.RequestedDiscountPercent > 0));
    }
}
