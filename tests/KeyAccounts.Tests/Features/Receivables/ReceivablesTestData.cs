using System.Net;
using System.Text.Json;
using KeyAccounts.Features.Receivables;
using KeyAccounts.Tests.Infrastructure;

namespace KeyAccounts.Tests.Features.Receivables;

/// <summary>Accounts, invoices, payments and orders written through the public API, as an ERP feed would.</summary>
public static class ReceivablesTestData
{
    public static readonly DateOnly Today = GetAgeing.Today(TimeProvider.System);

    public static async Task<(long Id, string Code)> AccountAsync(HttpClient admin, string? ownerId = null)
    {
        var code = TestApp.Unique("AR");
        var body = await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = "应收测试" + code, type = "Customer", ownerId }))
            .ExpectAsync(HttpStatusCode.Created);
        return (body.GetProperty("id").GetInt64(), code);
    }

    public static async Task InvoiceAsync(HttpClient client, string accountCode, string invoiceNo, DateOnly issuedOn, DateOnly dueOn, decimal amount,
        string? orderNo = null) =>
        await (await client.PostJsonAsync("/api/v1/transactions/invoices", new
        {
            items = new[] { new { invoiceNo, accountCode, issuedOn, dueOn, amount, orderNo } },
        })).ExpectAsync(HttpStatusCode.OK);

    public static async Task PaymentAsync(HttpClient client, string accountCode, string paymentNo, DateOnly paidOn, decimal amount, string? invoiceNo = null,
        string? method = null) =>
        await (await client.PostJsonAsync("/api/v1/transactions/payments", new
        {
            items = new[] { new { paymentNo, accountCode, paidOn, amount, invoiceNo, method } },
        })).ExpectAsync(HttpStatusCode.OK);

    public static async Task OrderAsync(HttpClient client, string accountCode, string orderNo, DateOnly orderDate, decimal quantity, decimal unitPrice) =>
        await (await client.PostJsonAsync("/api/v1/transactions/orders", new
        {
            items = new[] { new { orderNo, accountCode, orderDate, productCode = "P-AR-1", productName = "应收测试产品", quantity, unitPrice, unitCost = unitPrice / 2 } },
        })).ExpectAsync(HttpStatusCode.OK);

    public static string No(string prefix) => TestApp.Unique(prefix);

    public static async Task<JsonElement> PlanAsync(HttpClient client, string invoiceNo, params (DateOnly DueOn, decimal Amount)[] instalments) =>
        await (await client.PostJsonAsync("/api/v1/collection-plans", new
        {
            invoiceNo,
            instalments = instalments.Select(i => new { dueOn = i.DueOn, amount = i.Amount }).ToArray(),
        })).ExpectAsync(HttpStatusCode.Created);
}
