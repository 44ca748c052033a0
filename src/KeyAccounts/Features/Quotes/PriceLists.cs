using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Quotes;

public sealed record PriceListSummary(long Id, string Name, PriceListScope Scope, Tier? Tier, long? AccountId, string? AccountName,
    DateOnly ValidFrom, DateOnly? ValidTo, int Lines, int Version);

public sealed record PriceListLineDto(long ProductId, string ProductCode, string ProductName, decimal UnitPrice);

public sealed record PriceListDto(long Id, string Name, PriceListScope Scope, Tier? Tier, long? AccountId, string? AccountName,
    DateOnly ValidFrom, DateOnly? ValidTo, int Version, IReadOnlyList<PriceListLineDto> Lines);

/// <summary>
/// Price lists: the standard list (list prices), lists per tier and lists per account (a dealer's). Everyone reads the standard
/// and tier lists and the lists of the accounts they see; the administrator writes them.
/// </summary>
public static class PriceLists
{
    public sealed record LineRequest(long? ProductId, decimal? UnitPrice);

    /// <summary>A list: no tier and no account is the standard list; a tier makes it that tier's; an account makes it that account's.</summary>
    public sealed record Request(string? Name, Tier? Tier, long? AccountId, DateOnly? ValidFrom, DateOnly? ValidTo, IReadOnlyList<LineRequest>? Lines, int? Version = null);

    private static IQueryable<PriceList> Visible(AppDb db, CurrentUser user)
    {
        var accounts = db.VisibleAccountIds(user);
        return db.PriceLists.Where(p => p.AccountId == null || accounts.Contains(p.AccountId.Value));
    }

    public static async Task<Ok<Paged<PriceListSummary>>> ListAsync(PriceListScope? scope, long? accountId, int? page, int? pageSize,
        AppDb db, CurrentUser user, CancellationToken ct) => TypedResults.Ok(await QueryAsync(scope, accountId, page, pageSize, db, user, ct));

    public static Task<Paged<PriceListSummary>> QueryAsync(PriceListScope? scope, long? accountId, int? page, int? pageSize, AppDb db, CurrentUser user, CancellationToken ct)
    {
        var q = Visible(db, user);
        if (scope is { } s) q = q.Where(p => p.Scope == s);
        if (accountId is { } a) q = q.Where(p => p.AccountId == a);
        return q.OrderBy(p => p.Scope).ThenBy(p => p.Tier).ThenBy(p => p.AccountId).ThenByDescending(p => p.ValidFrom).ThenBy(p => p.Id)
            .Select(p => new PriceListSummary(p.Id, p.Name, p.Scope, p.Tier, p.AccountId,
                db.Accounts.Where(x => x.Id == p.AccountId).Select(x => x.Name).FirstOrDefault(), p.ValidFrom, p.ValidTo, p.Lines.Count, p.Version))
            .ToPagedAsync(page, pageSize, ct);
    }

    public static async Task<PriceListDto?> FindAsync(AppDb db, long id, CurrentUser user, CancellationToken ct)
    {
        var list = await Visible(db, user).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (list is null) return null;
        var lines = await db.PriceListLines.Where(l => l.PriceListId == id)
            .Join(db.Products, l => l.ProductId, p => p.Id, (l, p) => new PriceListLineDto(p.Id, p.Code, p.Name, l.UnitPrice))
            .ToListAsync(ct);
        var accountName = list.AccountId is null ? null : await db.Accounts.Where(a => a.Id == list.AccountId).Select(a => a.Name).FirstOrDefaultAsync(ct);
        return new PriceListDto(list.Id, list.Name, list.Scope, list.Tier, list.AccountId, accountName, list.ValidFrom, list.ValidTo, list.Version,
            [.. lines.OrderBy(l => l.ProductCode, StringComparer.Ordinal)]);
    }

    public static async Task<Results<Ok<PriceListDto>, NotFound>> GetAsync(long id, AppDb db, CurrentUser user, HttpContext? http, CancellationToken ct)
    {
        var dto = await FindAsync(db, id, user, ct);
        if (dto is null) return TypedResults.NotFound();
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    public static async Task<Results<Created<PriceListDto>, ValidationProblem>> CreateAsync(Request request, AppDb db, CurrentUser user, TimeProvider clock,
        HttpContext? http, CancellationToken ct)
    {
        var v = await ValidateAsync(request, db, ct);
        if (!v.IsValid) return v.Problem();
        var list = new PriceList { Name = "", Version = 1 };
        Apply(list, request, clock.GetUtcNow().UtcDateTime);
        db.PriceLists.Add(list);
        await db.SaveChangesAsync(ct);
        var dto = (await FindAsync(db, list.Id, user, ct))!;
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Created($"/api/v1/price-lists/{list.Id}", dto);
    }

    public static async Task<Results<Ok<PriceListDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(long id, Request request, AppDb db,
        CurrentUser user, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var list = await db.PriceLists.Include(p => p.Lines).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (list is null) return TypedResults.NotFound();
        var expected = ETags.IfMatch(http) ?? request.Version;
        if (expected is { } version && version != list.Version)
            return Problems.PreconditionFailed($"Price list {list.Name} was changed by someone else since you opened it (now version {list.Version}, you edited {version}). Reload and apply your change again.");
        var v = await ValidateAsync(request, db, ct);
        if (!v.IsValid) return v.Problem();
        Apply(list, request, clock.GetUtcNow().UtcDateTime);
        if (expected is { } v2) db.Entry(list).Property(p => p.Version).OriginalValue = v2;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.PreconditionFailed($"Price list {list.Name} was changed by someone else while you edited. Reload and apply your change again.");
        }
        var dto = (await FindAsync(db, list.Id, user, ct))!;
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    public static async Task<Results<NoContent, NotFound>> DeleteAsync(long id, AppDb db, CancellationToken ct)
    {
        var list = await db.PriceLists.Include(p => p.Lines).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (list is null) return TypedResults.NotFound();
        // Quote lines keep the list's id and name as the explanation of their price: no reference to clear.
        db.PriceListLines.RemoveRange(list.Lines);
        db.PriceLists.Remove(list);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Validation> ValidateAsync(Request request, AppDb db, CancellationToken ct)
    {
        var v = new Validation().Require("name", request.Name, 200);
        if (request.ValidFrom is null) v.Add("validFrom", $"validFrom is required.");
        else if (request.ValidTo is { } to && to < request.ValidFrom) v.Add("validTo", $"validTo must be on or after validFrom.");
        if (request.Tier is not null && request.AccountId is not null) v.Add("accountId", $"A price list is for a tier or for an account, not both.");
        if (request.AccountId is { } accountId && !await db.Accounts.AnyAsync(a => a.Id == accountId, ct)) v.Add("accountId", $"There is no such account.");
        var lines = request.Lines ?? [];
        if (lines.Count > 5000) v.Add("lines", $"A price list has at most 5000 lines.");
        long[] ids = [.. lines.Where(l => l?.ProductId is not null).Select(l => l.ProductId!.Value).Distinct()];
        var known = (await db.Products.Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        var seen = new HashSet<long>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line?.ProductId is not { } productId) v.Add($"lines[{i}].productId", $"Choose a product.");
            else if (!known.Contains(productId)) v.Add($"lines[{i}].productId", $"There is no product {productId}.");
            else if (!seen.Add(productId)) v.Add($"lines[{i}].productId", $"The product is already on this list.");
            if (line?.UnitPrice is not { } price) v.Add($"lines[{i}].unitPrice", $"Enter a price.");
            else if (price < 0) v.Add($"lines[{i}].unitPrice", $"A price cannot be negative.");
            else if (price > 1_000_000_000_000m || decimal.Round(price, 4) != price) v.Add($"lines[{i}].unitPrice", $"A price is at most 1,000,000,000,000 with at most 4 decimals.");
        }
        return v;
    }

    private static void Apply(PriceList list, Request request, DateTime now)
    {
        list.Name = request.Name!.Trim();
        list.Tier = request.AccountId is null ? request.Tier : null;
        list.AccountId = request.AccountId;
        list.Scope = request.AccountId is not null ? PriceListScope.Account : request.Tier is not null ? PriceListScope.Tier : PriceListScope.Standard;
        list.ValidFrom = request.ValidFrom!.Value;
        list.ValidTo = request.ValidTo;
        list.UpdatedAt = now;
        var wanted = (request.Lines ?? []).ToDictionary(l => l.ProductId!.Value, l => l.UnitPrice!.Value);
        foreach (var gone in list.Lines.Where(l => !wanted.ContainsKey(l.ProductId)).ToList()) list.Lines.Remove(gone);
        foreach (var (productId, price) in wanted)
        {
            var line = list.Lines.FirstOrDefault(l => l.ProductId == productId);
            if (line is null) list.Lines.Add(new PriceListLine { ProductId = productId, UnitPrice = price });
            else line.UnitPrice = price;
        }
    }
}
