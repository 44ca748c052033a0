using System.Net;
using System.Net.Http.Json;
using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Evaluation;

public sealed class ParetoPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>The priority matrix names both axes, and clicking a quadrant lists its accounts under the chart.</summary>
    [Fact]
    public async Task PriorityMatrix_QuadrantClicked_ListsItsAccounts()
    {
        var account = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep"] });
        const int year = 2048;
        long runId;
        using (var admin = await App.ClientAsync("admin"))
        {
            await AppServer.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/transactions/orders", new
            {
                items = new object[]
                {
                    new { orderNo = AppServer.Unique("SO"), accountCode = account.Code, orderDate = $"{year}-03-01", productCode = "P-PRI", productName = "减速机", quantity = 20, unitPrice = 90_000, unitCost = 60_000, line = 1 },
                },
            }, AppServer.Json), HttpStatusCode.OK);
            var model = await AppServer.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/evaluation/models", new
            {
                name = AppServer.Unique("矩阵"),
                weightMethod = "Direct",
                criteria = new object[]
                {
                    new { key = "SalesRevenue", name = "销售收入", source = "SalesRevenue", direction = "HigherIsBetter", normalization = "Bands", weight = 0.8,
                        bands = new[] { new { min = 1_000_000, points = 100 }, new { min = 0, points = 10 } } },
                    new { key = "IndustryInfluence", name = "客户行业影响力", source = "Judged", direction = "HigherIsBetter", normalization = "Points", weight = 0.2, bands = (object[]?)null },
                },
                tierRules = new { keyMin = 75, majorMin = 55, ordinaryMin = 35 },
                schedule = "None",
            }, AppServer.Json), HttpStatusCode.Created);
            var modelId = model.GetProperty("id").GetInt64();
            await AppServer.ExpectAsync(await admin.PostAsync($"/api/v1/evaluation/models/{modelId}/activate", null), HttpStatusCode.OK);
            using var leader = await App.ClientAsync("leader");
            var run = await AppServer.ExpectAsync(await leader.PostAsJsonAsync("/api/v1/evaluation/runs",
                new { modelId, periodStart = $"{year}-01-01", periodEnd = $"{year}-12-31" }, AppServer.Json), HttpStatusCode.Created);
            runId = run.GetProperty("id").GetInt64();
        }
        string quadrant;
        using (var leader = await App.ClientAsync("leader"))
        {
            var priority = await AppServer.ExpectAsync(await leader.GetAsync($"/api/v1/evaluation/runs/{runId}/priority"), HttpStatusCode.OK);
            quadrant = priority.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("accountId").GetInt64() == account.Id).GetProperty("quadrant").GetString()!;
        }

        // The page opens on the newest run: this one.
        await SignInAsync("leader", returnUrl: "/evaluation/pareto");
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("priority-chart")).ToContainTextAsync("价值（得分）");
        await Expect(Page.GetByTestId("priority-chart")).ToContainTextAsync("潜力：销售收入增长与客户行业影响力");
        await Expect(Page.GetByTestId("priority-list")).ToHaveCountAsync(0);
        await Page.GetByTestId($"priority-quadrant-{quadrant}").ClickAsync();
        await Expect(Page.GetByTestId("priority-list")).ToContainTextAsync(account.Name);
        await Expect(Page.GetByTestId("priority-list-title")).ToContainTextAsync("个客户");

        // Closed, the account leaves later runs' populations (tests share the app).
        using var closer = await App.ClientAsync("admin");
        await AppServer.ExpectAsync(await closer.PutAsJsonAsync($"/api/v1/accounts/{account.Id}",
            new { code = account.Code, name = account.Name, type = "Customer", status = "Closed" }, AppServer.Json), HttpStatusCode.OK);
    }
}
