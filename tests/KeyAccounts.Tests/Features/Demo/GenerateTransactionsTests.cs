using KeyAccounts.Data;
using KeyAccounts.Features.Demo;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Demo;

[Collection(DemoDataCollection.Name)]
public sealed class GenerateTransactionsTests(TestApp app)
{
    [Fact]
    public async Task Generate_TransactionsOverGeneratedAccounts_WritesTheAskedCounts()
    {
        await DemoData.EnsureGeneratedAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        var result = await GenerateTransactions.GenerateAsync(scope.ServiceProvider.GetRequiredService<AppDb>(), 2_005, 300, 300, null, CancellationToken.None);

        Assert.Equal((201, 2_005, 300, 300), (result.Orders, result.OrderLines, result.Invoices, result.Payments));
        await using var db = app.Db();
        var orders = db.Orders.Where(o => o.OrderNo.StartsWith(GenerateTransactions.OrderPrefix));
        Assert.Equal(201, await orders.CountAsync());
        Assert.Equal(2_005, await db.OrderLines.CountAsync(l => orders.Any(o => o.Id == l.OrderId)));
        Assert.Equal(0, await db.OrderLines.CountAsync(l => orders.Any(o => o.Id == l.OrderId && (o.AccountId != l.AccountId || o.OrderDate != l.OrderDate))));
        var invoices = db.Invoices.Where(i => i.InvoiceNo.StartsWith(GenerateTransactions.InvoicePrefix));
        Assert.Equal(300, await invoices.CountAsync());
        var payments = db.Payments.Where(p => p.PaymentNo.StartsWith(GenerateTransactions.PaymentPrefix));
        Assert.Equal(300, await payments.CountAsync(p => invoices.Any(i => i.InvoiceNo == p.InvoiceNo && i.AccountId == p.AccountId && p.Amount <= i.Amount)));
        Assert.True(await db.OrderLines.AnyAsync(l => l.Quantity < 0), "no returns");
    }
}
