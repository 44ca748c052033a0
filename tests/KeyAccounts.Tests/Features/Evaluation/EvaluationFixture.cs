using System.Net;
using System.Text.Json;
using KeyAccounts.Data;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Tests.Infrastructure;

namespace KeyAccounts.Tests.Features.Evaluation;

/// <summary>Builds what evaluation tests need: accounts, their transactions (written straight to the database) and models.</summary>
public static class EvaluationFixture
{
    public static async Task<long> AccountAsync(TestApp app, string owner)
    {
        using var admin = await app.ClientAsync("admin");
        var code = TestApp.Unique("EV");
        var body = await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = $"评价{code}实业有限公司", type = "Customer", ownerId = app.UserIds[owner] }))
            .ExpectAsync(HttpStatusCode.Created);
        return body.GetProperty("id").GetInt64();
    }

    /// <summary>One order of one line worth <paramref name="revenue"/> (cost 70%), an invoice of it due in the period and paid, and a quality loss.</summary>
    public static async Task TransactionsAsync(TestApp app, long accountId, DateOnly on, decimal revenue, decimal loss = 0, decimal paidShare = 1)
    {
        await using var db = app.Db();
        var product = new Product { Code = TestApp.Unique("P"), Name = "轴承" };
        db.Products.Add(product);
        var order = new SalesOrder { OrderNo = TestApp.Unique("SO"), AccountId = accountId, OrderDate = on };
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        db.OrderLines.Add(new OrderLine { OrderId = order.Id, LineNo = 1, AccountId = accountId, OrderDate = on, ProductId = product.Id, Quantity = 100, UnitPrice = revenue / 100, UnitCost = revenue / 100 * 0.7m });
        var invoiceNo = TestApp.Unique("INV");
        db.Invoices.Add(new Invoice { InvoiceNo = invoiceNo, AccountId = accountId, IssuedOn = on, DueOn = on, Amount = revenue });
        if (paidShare > 0) db.Payments.Add(new Payment { PaymentNo = TestApp.Unique("PAY"), AccountId = accountId, PaidOn = on, Amount = revenue * paidShare, InvoiceNo = invoiceNo });
        if (loss > 0) db.QualityIncidents.Add(new QualityIncident { IncidentNo = TestApp.Unique("QI"), AccountId = accountId, OccurredOn = on, LossAmount = loss });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// A model whose points do not depend on the rest of the population (bands), so tests sharing one database agree:
    /// revenue ≥ 1,000,000 → 100, ≥ 100,000 → 60, else 10 (weight 0.6); quality loss ≥ 50,000 → 0, else 100 (0.2);
    /// industry influence as judged (0.2). Key ≥ 80, Major ≥ 60, Ordinary ≥ 30.
    /// </summary>
    public static object BandModel(string name, string? schedule = null, int? keyCap = null) => new
    {
        name,
        weightMethod = "Direct",
        criteria = new object[]
        {
            new { key = "SalesRevenue", name = "Sales revenue", source = "SalesRevenue", direction = "HigherIsBetter", normalization = "Bands", weight = 0.6,
                bands = new[] { new { min = 1_000_000, points = 100 }, new { min = 100_000, points = 60 }, new { min = 0, points = 10 } } },
            new { key = "QualityLoss", name = "Quality losses", source = "QualityLoss", direction = "LowerIsBetter", normalization = "Bands", weight = 0.2,
                bands = new[] { new { min = 50_000, points = 0 }, new { min = 0, points = 100 } } },
            new { key = "IndustryInfluence", name = "Industry influence", source = "Judged", direction = "HigherIsBetter", normalization = "Points", weight = 0.2, bands = (object[]?)null },
        },
        tierRules = new { keyMin = 80, majorMin = 60, ordinaryMin = 30, keyCap },
        schedule = schedule ?? "None",
    };

    public static async Task<long> ActiveModelAsync(TestApp app, object model)
    {
        using var admin = await app.ClientAsync("admin");
        var created = await (await admin.PostJsonAsync("/api/v1/evaluation/models", model)).ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        await (await admin.PostAsync($"/api/v1/evaluation/models/{id}/activate", null)).ExpectAsync(HttpStatusCode.OK);
        return id;
    }

    public static async Task<JsonElement> RunAsync(TestApp app, long modelId, DateOnly start, DateOnly end, string asUser = "leader")
    {
        using var client = await app.ClientAsync(asUser);
        return await (await client.PostJsonAsync("/api/v1/evaluation/runs", new { modelId, periodStart = start, periodEnd = end })).ExpectAsync(HttpStatusCode.Created);
    }

    public static async Task<List<JsonElement>> ResultsAsync(TestApp app, long runId, string asUser, string query = "")
    {
        using var client = await app.ClientAsync(asUser);
        var body = await (await client.GetAsync($"/api/v1/evaluation/runs/{runId}/results?pageSize=500{query}")).ExpectAsync(HttpStatusCode.OK);
        return [.. body.GetProperty("items").EnumerateArray()];
    }

    public static JsonElement For(this List<JsonElement> results, long accountId) => results.Single(r => r.GetProperty("accountId").GetInt64() == accountId);
}
