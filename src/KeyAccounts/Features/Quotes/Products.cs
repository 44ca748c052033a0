using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KeyAccounts.Features.Quotes;

public sealed record ProductSummary(long Id, string Code, string Name);

/// <summary>The products fed from the ERP, to choose on quotes and price lists.</summary>
public static class Products
{
    public static async Task<Ok<Paged<ProductSummary>>> ListAsync(string? search, int? page, int? pageSize, AppDb db, CancellationToken ct) =>
        TypedResults.Ok(await QueryAsync(search, page, pageSize, db, ct));

    public static Task<Paged<ProductSummary>> QueryAsync(string? search, int? page, int? pageSize, AppDb db, CancellationToken ct)
    {
        var q = db.Products.AsQueryable();
        if (search.SearchText() is { } s) q = q.Where(p => p.Code.Contains(s) || p.Name.Contains(s));
        return q.OrderBy(p => p.Code).Select(p => new ProductSummary(p.Id, p.Code, p.Name)).ToPagedAsync(page, pageSize, ct);
    }
}
