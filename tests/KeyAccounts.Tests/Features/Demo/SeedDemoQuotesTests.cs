using KeyAccounts.Features.Demo;
using KeyAccounts.Features.Quotes;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Demo;

[Collection(DemoDataCollection.Name)]
public sealed class SeedDemoQuotesTests(TestApp app)
{
    [Fact]
    public async Task SeedDemo_Quotes_PriceListsOfEveryKindAndQuotesInEveryState()
    {
        await using (var scope = app.Services.CreateAsyncScope())
            await SeedDemo.RunAsync(scope.ServiceProvider, new StringWriter(), CancellationToken.None);
        await using var db = app.Db();

        var states = await db.Quotes.Select(q => q.State).Distinct().ToListAsync();
        Assert.Equal(Enum.GetValues<QuoteState>().Order(), states.Order());
        var scopes = await db.PriceLists.Select(p => p.Scope).Distinct().ToListAsync();
        Assert.Equal(Enum.GetValues<PriceListScope>().Order(), scopes.Order());
        var ordered = await db.Quotes.Where(q => q.State == QuoteState.Ordered).Select(q => q.Id).ToListAsync();
        Assert.All(ordered, id => Assert.True(db.Orders.Any(o => o.QuoteId == id)));
        Assert.True(await db.QuoteLines.AnyAsync(l => l.ApprovedById != null && db.Quotes.Any(q => q.Id == l.QuoteId && q.State == QuoteState.Approved)),
            "no quote approved beyond policy");
        Assert.True(await db.Quotes.AnyAsync(q => q.State == QuoteState.Rejected && q.DecisionNote != null));
    }
}
