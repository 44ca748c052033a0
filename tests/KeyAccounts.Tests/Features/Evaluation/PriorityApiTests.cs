using System.Net;
using System.Text.Json;
using KeyAccounts.Tests.Infrastructure;
using static KeyAccounts.Tests.Features.Evaluation.EvaluationFixture;

namespace KeyAccounts.Tests.Features.Evaluation;

/// <summary>The priority matrix's quadrant list: <c>?quadrant=&amp;page=&amp;pageSize=</c> on the run's priority endpoint.</summary>
[Collection(AppCollection.Name)]
public sealed class PriorityApiTests(TestApp app)
{
    private static readonly string[] Quadrants = ["Focus", "Maintain", "Develop", "Monitor"];

    [Fact]
    public async Task Priority_QuadrantGiven_ListsThatQuadrantsAccountsPagedWithinTheCallersBook()
    {
        var model = await ActiveModelAsync(app, BandModel("Priority " + TestApp.Unique("M")));
        var start = new DateOnly(2041, 1, 1);
        var end = new DateOnly(2041, 12, 31);
        var big = await AccountAsync(app, "rep");
        var small = await AccountAsync(app, "rep");
        var western = await AccountAsync(app, "westrep");
        await TransactionsAsync(app, big, new DateOnly(2041, 3, 1), 2_000_000);
        await TransactionsAsync(app, small, new DateOnly(2041, 3, 1), 50_000);
        await TransactionsAsync(app, western, new DateOnly(2041, 3, 1), 2_000_000);
        var run = (await RunAsync(app, model, start, end)).GetProperty("id").GetInt64();

        using var admin = await app.ClientAsync("admin");
        var whole = await (await admin.GetAsync($"/api/v1/evaluation/runs/{run}/priority")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(whole.TryGetProperty("accounts", out _));
        var adminIds = await QuadrantIdsAsync(admin, run, whole);
        Assert.Contains(big, adminIds);
        Assert.Contains(western, adminIds);

        // Pages of one quadrant do not overlap, and each says the quadrant's size.
        var largest = Quadrants.MaxBy(q => whole.GetProperty("quadrants").GetProperty(q).GetInt32())!;
        var page1 = (await (await admin.GetAsync($"/api/v1/evaluation/runs/{run}/priority?quadrant={largest}&page=1&pageSize=1")).ExpectAsync(HttpStatusCode.OK)).GetProperty("accounts");
        var page2 = (await (await admin.GetAsync($"/api/v1/evaluation/runs/{run}/priority?quadrant={largest}&page=2&pageSize=1")).ExpectAsync(HttpStatusCode.OK)).GetProperty("accounts");
        Assert.Equal(1, page1.GetProperty("pageSize").GetInt32());
        Assert.Equal(2, page2.GetProperty("page").GetInt32());
        Assert.Equal(whole.GetProperty("quadrants").GetProperty(largest).GetInt32(), page1.GetProperty("total").GetInt32());
        Assert.Single(page1.GetProperty("items").EnumerateArray());
        Assert.NotEqual(page1.GetProperty("items")[0].GetProperty("accountId").GetInt64(), page2.GetProperty("items")[0].GetProperty("accountId").GetInt64());

        // A rep's quadrants hold their own accounts only.
        using var rep = await app.ClientAsync("rep");
        var repWhole = await (await rep.GetAsync($"/api/v1/evaluation/runs/{run}/priority")).ExpectAsync(HttpStatusCode.OK);
        var repIds = await QuadrantIdsAsync(rep, run, repWhole);
        Assert.Contains(big, repIds);
        Assert.Contains(small, repIds);
        Assert.DoesNotContain(western, repIds);

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"/api/v1/evaluation/runs/{run}/priority?quadrant=Nowhere")).StatusCode);
    }

    /// <summary>Every quadrant's list, checking each item is in the quadrant asked for and each total matches the count.</summary>
    private static async Task<List<long>> QuadrantIdsAsync(HttpClient client, long run, JsonElement whole)
    {
        var ids = new List<long>();
        foreach (var q in Quadrants)
        {
            var body = await (await client.GetAsync($"/api/v1/evaluation/runs/{run}/priority?quadrant={q}&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
            var accounts = body.GetProperty("accounts");
            Assert.Equal(whole.GetProperty("quadrants").GetProperty(q).GetInt32(), accounts.GetProperty("total").GetInt32());
            Assert.All(accounts.GetProperty("items").EnumerateArray(), i => Assert.Equal(q, i.GetProperty("quadrant").GetString()));
            ids.AddRange(accounts.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("accountId").GetInt64()));
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
        return ids;
    }
}
