using System.Net;
using KeyAccounts.Features.Quotes;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Quotes;

[Collection(AppCollection.Name)]
public sealed class PriceListsApiTests(TestApp app)
{
    private async Task<long> ProductAsync()
    {
        await using var db = app.Db();
        var product = new Product { Code = TestApp.Unique("P"), Name = "液压油缸 Φ160", UpdatedAt = DateTime.UtcNow };
        db.Products.Add(product);
        await db.SaveChangesAsync();
        return product.Id;
    }

    [Fact]
    public async Task Create_NegativePriceAndUnknownProduct_Returns400NamingTheLinesAndStoresNothing()
    {
        var product = await ProductAsync();
        var name = TestApp.Unique("价目表");
        using var admin = await app.ClientAsync("admin");

        var body = await (await admin.PostJsonAsync("/api/v1/price-lists", new
        {
            name,
            validFrom = "2026-01-01",
            lines = new object[] { new { productId = product, unitPrice = -1m }, new { productId = 987_654_321L, unitPrice = 5m } },
        })).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(body.GetProperty("errors").TryGetProperty("lines[0].unitPrice", out _));
        Assert.True(body.GetProperty("errors").TryGetProperty("lines[1].productId", out _));
        await using var db = app.Db();
        Assert.False(await db.PriceLists.AnyAsync(p => p.Name == name));
    }

    [Fact]
    public async Task Create_TierAndAccountTogetherOrEndBeforeStart_Returns400()
    {
        var account = await app.AccountAsync("rep");
        using var admin = await app.ClientAsync("admin");

        var body = await (await admin.PostJsonAsync("/api/v1/price-lists", new { name = "x", tier = "Key", accountId = account, validFrom = "2026-02-01", validTo = "2026-01-01" }))
            .ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(body.GetProperty("errors").TryGetProperty("accountId", out _));
        Assert.True(body.GetProperty("errors").TryGetProperty("validTo", out _));
    }

    [Fact]
    public async Task Create_ByRep_Returns403()
    {
        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync("/api/v1/price-lists", new { name = "私自定价", validFrom = "2026-01-01" })).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Update_ChangesPricesAudited_StaleIfMatchReturns412()
    {
        var (a, b) = (await ProductAsync(), await ProductAsync());
        using var admin = await app.ClientAsync("admin");
        var created = await (await admin.PostJsonAsync("/api/v1/price-lists", new { name = "大客户价", tier = "Key", validFrom = "2026-01-01", lines = new[] { new { productId = a, unitPrice = 100m } } }))
            .ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();

        var updated = await (await admin.PutJsonAsync($"/api/v1/price-lists/{id}", new { name = "大客户价", tier = "Key", validFrom = "2026-01-01", version = 1, lines = new[] { new { productId = a, unitPrice = 95m }, new { productId = b, unitPrice = 7.5m } } }))
            .ExpectAsync(HttpStatusCode.OK);
        await (await admin.PutJsonAsync($"/api/v1/price-lists/{id}", new { name = "大客户价", validFrom = "2026-01-01", version = 1, lines = Array.Empty<object>() }))
            .ExpectAsync(HttpStatusCode.PreconditionFailed);

        Assert.Equal("Tier", updated.GetProperty("scope").GetString());
        Assert.Equal(2, updated.GetProperty("lines").GetArrayLength());
        await using var db = app.Db();
        Assert.Equal(95m, await db.PriceListLines.Where(l => l.PriceListId == id && l.ProductId == a).Select(l => l.UnitPrice).FirstAsync());
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == nameof(PriceListLine) && e.EntityKey == $"{id}:{a}" && e.Action == KeyAccounts.Features.Audit.AuditAction.Updated));
    }
}
