using System.Net;
using System.Text.Json;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Transactions;

[Collection(AppCollection.Name)]
public sealed class TransactionsApiTests(TestApp app)
{
    private async Task<(long Id, string Code)> AccountAsync(string owner)
    {
        var code = TestApp.Unique("J");
        using var client = await app.ClientAsync(owner);
        var body = await (await client.PostJsonAsync("/api/v1/accounts", new { code, name = $"无锡{code}电气有限公司", type = "Customer" })).ExpectAsync(HttpStatusCode.Created);
        return (body.GetProperty("id").GetInt64(), code);
    }

    private static object Orders(string code) => new
    {
        items = new object[]
        {
            new { orderNo = $"{code}-1", accountCode = code, orderDate = "2026-01-15", productCode = "J-A", productName = "Motor", quantity = 10, unitPrice = 100, unitCost = 70 },
            new { orderNo = $"{code}-1", accountCode = code, orderDate = "2026-01-15", productCode = "J-B", productName = "Drive", quantity = 1, unitPrice = 500, unitCost = 300 },
            new { orderNo = $"{code}-R", accountCode = code, orderDate = "2026-02-01", productCode = "J-A", productName = "Motor", quantity = -2, unitPrice = 100, unitCost = 70 },
        },
    };

    private async Task SeedAsync(string user, string code)
    {
        using var client = await app.ClientAsync(user);
        await (await client.PostJsonAsync("/api/v1/transactions/orders", Orders(code))).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("/api/v1/transactions/invoices", new
        {
            items = new object[]
            {
                new { invoiceNo = $"{code}-I1", accountCode = code, issuedOn = "2026-01-20", dueOn = "2026-02-20", amount = 1500 },
                new { invoiceNo = $"{code}-I2", accountCode = code, issuedOn = "2026-02-05", dueOn = "2099-03-05", amount = 300 },
            },
        })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("/api/v1/transactions/payments", new
        {
            items = new object[] { new { paymentNo = $"{code}-P1", accountCode = code, paidOn = "2026-02-10", amount = 1000, invoiceNo = $"{code}-I1" } },
        })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("/api/v1/transactions/quality-incidents", new
        {
            items = new object[] { new { incidentNo = $"{code}-Q1", accountCode = code, occurredOn = "2026-02-15", lossAmount = 250, description = "Late delivery" } },
        })).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Batch_SentTwice_UpdatesNeverDuplicates()
    {
        var (id, code) = await AccountAsync("rep");
        await SeedAsync("rep", code);
        await SeedAsync("rep", code);

        await using var db = app.Db();
        Assert.Equal(2, await db.Orders.CountAsync(o => o.AccountId == id));
        Assert.Equal(3, await db.OrderLines.CountAsync(l => l.AccountId == id));
        Assert.Equal(2, await db.Invoices.CountAsync(i => i.AccountId == id));
        Assert.Equal(1, await db.Payments.CountAsync(p => p.AccountId == id));
        Assert.Equal(1, await db.QualityIncidents.CountAsync(q => q.AccountId == id));
    }

    [Fact]
    public async Task Batch_BadItem_Returns400NamingIndexAndFieldAndWritesNothing()
    {
        var (id, code) = await AccountAsync("rep");
        using var client = await app.ClientAsync("rep");
        var body = await (await client.PostJsonAsync("/api/v1/transactions/orders", new
        {
            items = new object[]
            {
                new { orderNo = $"{code}-1", accountCode = code, orderDate = "2026-01-15", productCode = "J-A", quantity = 1, unitPrice = 10, unitCost = 5 },
                new { orderNo = $"{code}-2", accountCode = code, orderDate = "2026-01-15", productCode = "J-A", quantity = 1, unitPrice = -10, unitCost = 5 },
                new { orderNo = $"{code}-3", accountCode = code, orderDate = "2026-01-15", productCode = "J-A", quantity = 1, unitPrice = 10, unitCost = 5, line = 1 },
                new { orderNo = $"{code}-3", accountCode = code, orderDate = "2026-01-15", productCode = "J-A", quantity = 1, unitPrice = 10, unitCost = 5, line = 1 },
            },
        })).ExpectAsync(HttpStatusCode.BadRequest);

        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("items[1].unitPrice", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("items[3].line", out _), errors.ToString());
        await using var db = app.Db();
        Assert.False(await db.Orders.AnyAsync(o => o.AccountId == id));
    }

    [Fact]
    public async Task Batch_EmptyOrForeignAccount_Returns400()
    {
        var (_, foreign) = await AccountAsync("westrep");
        using var client = await app.ClientAsync("rep");
        await (await client.PostJsonAsync("/api/v1/transactions/payments", new { items = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.BadRequest);
        var body = await (await client.PostJsonAsync("/api/v1/transactions/payments", new
        {
            items = new object[] { new { paymentNo = $"{foreign}-P", accountCode = foreign, paidOn = "2026-01-01", amount = 1 } },
        })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal($"There is no account {foreign}.", body.GetProperty("errors").GetProperty("items[0].accountCode")[0].GetString());
    }

    [Fact]
    public async Task Summary_AccountWithTransactions_AddsUp()
    {
        var (id, code) = await AccountAsync("rep");
        await SeedAsync("rep", code);
        using var client = await app.ClientAsync("rep");

        var all = await (await client.GetAsync($"/api/v1/accounts/{id}/transaction-summary")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1300m, all.GetProperty("revenue").GetDecimal());
        Assert.Equal(860m, all.GetProperty("cost").GetDecimal());
        Assert.Equal(440m, all.GetProperty("profit").GetDecimal());
        Assert.Equal(200m, all.GetProperty("returns").GetDecimal());
        Assert.Equal(2, all.GetProperty("orderCount").GetInt32());
        Assert.Equal(1800m, all.GetProperty("invoiced").GetDecimal());
        Assert.Equal(1000m, all.GetProperty("paid").GetDecimal());
        Assert.Equal(800m, all.GetProperty("outstanding").GetDecimal());
        Assert.Equal(500m, all.GetProperty("overdue").GetDecimal());
        Assert.Equal(250m, all.GetProperty("qualityLosses").GetDecimal());

        var january = await (await client.GetAsync($"/api/v1/accounts/{id}/transaction-summary?from=2026-01-01&to=2026-01-31")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1500m, january.GetProperty("revenue").GetDecimal());
        Assert.Equal(1, january.GetProperty("orderCount").GetInt32());
        Assert.Equal(0m, january.GetProperty("qualityLosses").GetDecimal());
    }

    [Fact]
    public async Task Lists_OwnerAndFinance_SeePagedTransactions_ForeignRepGets404()
    {
        var (id, code) = await AccountAsync("rep");
        await SeedAsync("rep", code);
        using var finance = await app.ClientAsync("finance");

        var orders = await (await finance.GetAsync($"/api/v1/accounts/{id}/orders?page=1&pageSize=1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, orders.GetProperty("total").GetInt32());
        var newest = orders.GetProperty("items")[0];
        Assert.Equal($"{code}-R", newest.GetProperty("orderNo").GetString());
        Assert.True(newest.GetProperty("isReturn").GetBoolean());
        Assert.Equal(-200m, newest.GetProperty("amount").GetDecimal());
        Assert.Equal("Motor", newest.GetProperty("lines")[0].GetProperty("productName").GetString());

        var invoices = await (await finance.GetAsync($"/api/v1/accounts/{id}/invoices")).ExpectAsync(HttpStatusCode.OK);
        var first = invoices.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("invoiceNo").GetString() == $"{code}-I1");
        Assert.Equal((1000m, 500m, true), (first.GetProperty("paid").GetDecimal(), first.GetProperty("outstanding").GetDecimal(), first.GetProperty("overdue").GetBoolean()));
        Assert.Equal(1, (await (await finance.GetAsync($"/api/v1/accounts/{id}/payments")).ExpectAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        Assert.Equal(1, (await (await finance.GetAsync($"/api/v1/accounts/{id}/quality-incidents")).ExpectAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32());

        using var westrep = await app.ClientAsync("westrep");
        foreach (var list in new[] { "orders", "invoices", "payments", "quality-incidents", "transaction-summary" })
            Assert.Equal(HttpStatusCode.NotFound, (await westrep.GetAsync($"/api/v1/accounts/{id}/{list}")).StatusCode);
    }
}
