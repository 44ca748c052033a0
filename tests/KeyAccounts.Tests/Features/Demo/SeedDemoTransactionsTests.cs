using KeyAccounts.Features.Demo;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Demo;

/// <summary>The demo company in a database of its own, so this test does not depend on the order of the demo tests.</summary>
[CollectionDefinition(Name)]
public sealed class DemoTransactionsCollection : ICollectionFixture<TestApp>
{
    public const string Name = "demo-transactions";
}

[Collection(DemoTransactionsCollection.Name)]
public sealed class SeedDemoTransactionsTests(TestApp app)
{
    [Fact]
    public async Task SeedDemo_Transactions_ThreeYearsWithAnEightyTwentyCurve()
    {
        await using (var scope = app.Services.CreateAsyncScope())
            await SeedDemo.RunAsync(scope.ServiceProvider, new StringWriter(), CancellationToken.None);
        await using var db = app.Db();
        var demo = db.Accounts.Where(a => a.Code.StartsWith("C0") || a.Code.StartsWith("D0")).Select(a => a.Id);

        var revenue = await db.OrderLines.Where(l => demo.Contains(l.AccountId)).GroupBy(l => l.AccountId)
            .Select(g => g.Sum(l => l.Quantity * l.UnitPrice)).ToListAsync();
        var sorted = revenue.OrderByDescending(r => r).ToList();
        var top20 = sorted.Take(sorted.Count / 5).Sum() / sorted.Sum();
        Assert.InRange(top20, 0.7m, 0.9m);
        Assert.True(sorted.Count >= 290, $"only {sorted.Count} accounts bought");

        var first = await db.OrderLines.Where(l => demo.Contains(l.AccountId)).MinAsync(l => l.OrderDate);
        var last = await db.OrderLines.Where(l => demo.Contains(l.AccountId)).MaxAsync(l => l.OrderDate);
        Assert.InRange(last.DayNumber - first.DayNumber, 1000, 1100);
        Assert.True(await db.OrderLines.AnyAsync(l => demo.Contains(l.AccountId) && l.Quantity < 0), "no returns");
        var invoiced = await db.Invoices.Where(i => demo.Contains(i.AccountId)).SumAsync(i => i.Amount);
        var paid = await db.Payments.Where(p => demo.Contains(p.AccountId)).SumAsync(p => p.Amount);
        Assert.InRange(paid / invoiced, 0.75m, 0.99m);
        Assert.InRange(await db.QualityIncidents.CountAsync(q => demo.Contains(q.AccountId)), 5, 60);
    }
}
