using System.Net;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static KeyAccounts.Tests.Features.Evaluation.EvaluationFixture;

namespace KeyAccounts.Tests.Features.Evaluation;

[Collection(AppCollection.Name)]
public sealed class ImportRunApproveTests(TestApp app)
{
    [Fact]
    public async Task ImportedOrders_RunAndApprove_PublishTheListAndTiers()
    {
        var model = await ActiveModelAsync(app, BandModel("Import " + TestApp.Unique("M")));
        var big = await AccountAsync(app, "rep");
        var small = await AccountAsync(app, "rep");
        await using (var db = app.Db())
        {
            var codes = await db.Accounts.Where(a => a.Id == big || a.Id == small).ToDictionaryAsync(a => a.Id, a => a.Code);
            using var admin = await app.ClientAsync("admin");
            var orderNo = TestApp.Unique("SO");
            await (await admin.PostJsonAsync("/api/v1/transactions/orders", new
            {
                items = new object[]
                {
                    new { orderNo, accountCode = codes[big], orderDate = "2036-03-01", productCode = "P-EVAL", productName = "齿轮箱", quantity = 10, unitPrice = 150_000, unitCost = 100_000, line = 1 },
                    new { orderNo = orderNo + "B", accountCode = codes[small], orderDate = "2036-04-01", productCode = "P-EVAL", productName = "齿轮箱", quantity = 1, unitPrice = 20_000, unitCost = 15_000, line = 1 },
                },
            })).ExpectAsync(HttpStatusCode.OK);
        }

        var run = await RunAsync(app, model, new DateOnly(2036, 1, 1), new DateOnly(2036, 12, 31));
        var results = await ResultsAsync(app, run.GetProperty("id").GetInt64(), "rep");
        Assert.Equal(1_500_000, results.For(big).GetProperty("factors")[0].GetProperty("rawValue").GetDouble());
        Assert.Equal("Key", results.For(big).GetProperty("tier").GetString());
        Assert.Equal("Small", results.For(small).GetProperty("tier").GetString());

        using var leader = await app.ClientAsync("leader");
        await (await leader.PostJsonAsync($"/api/v1/evaluation/runs/{run.GetProperty("id").GetInt64()}/approve", new { confirm = true })).ExpectAsync(HttpStatusCode.OK);
        using var rep = await app.ClientAsync("rep");
        var list = await (await rep.GetAsync("/api/v1/key-accounts?pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("accountId").GetInt64() == big);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("accountId").GetInt64() == small);
        await using var check = app.Db();
        Assert.Equal(Tier.Key, (await check.Accounts.SingleAsync(a => a.Id == big)).Tier);
    }
}
