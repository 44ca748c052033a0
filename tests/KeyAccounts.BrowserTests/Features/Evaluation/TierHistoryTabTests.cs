using System.Net;
using System.Net.Http.Json;
using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Evaluation;

public sealed class TierHistoryTabTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task TierHistory_TwoRunsPublishedNewestFirst_TiersTopDownAndOldestLeft()
    {
        var account = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep"] });
        using (var admin = await App.ClientAsync("admin"))
        using (var leader = await App.ClientAsync("leader"))
        {
            // A big year (key account) and a small one after it.
            foreach (var (year, price) in new[] { (2041, 90_000), (2042, 10) })
                await AppServer.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/transactions/orders", new
                {
                    items = new object[]
                    {
                        new { orderNo = AppServer.Unique("SO"), accountCode = account.Code, orderDate = $"{year}-05-01", productCode = "P-TH", productName = "减速机", quantity = 20, unitPrice = price, unitCost = price / 2, line = 1 },
                    },
                }, AppServer.Json), HttpStatusCode.OK);
            var model = await AppServer.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/evaluation/models", new
            {
                name = AppServer.Unique("等级历史"),
                weightMethod = "Direct",
                criteria = new object[]
                {
                    new { key = "SalesRevenue", name = "销售收入", source = "SalesRevenue", direction = "HigherIsBetter", normalization = "Bands", weight = 1.0,
                        bands = new[] { new { min = 1_000_000, points = 100 }, new { min = 0, points = 10 } } },
                },
                tierRules = new { keyMin = 75, majorMin = 55, ordinaryMin = 35 },
                schedule = "None",
            }, AppServer.Json), HttpStatusCode.Created);
            var modelId = model.GetProperty("id").GetInt64();
            await AppServer.ExpectAsync(await admin.PostAsync($"/api/v1/evaluation/models/{modelId}/activate", null), HttpStatusCode.OK);
            // The later year is published first: the chart still runs by the period rated.
            foreach (var year in new[] { 2042, 2041 })
            {
                var run = await AppServer.ExpectAsync(await leader.PostAsJsonAsync("/api/v1/evaluation/runs",
                    new { modelId, periodStart = $"{year}-01-01", periodEnd = $"{year}-12-31" }, AppServer.Json), HttpStatusCode.Created);
                await AppServer.ExpectAsync(await leader.PostAsync($"/api/v1/evaluation/runs/{run.GetProperty("id").GetInt64()}/approve", null), HttpStatusCode.OK);
            }
        }

        try
        {
            await SignInAsync("rep", returnUrl: $"/accounts/{account.Id}");
            await Page.GetByTestId("tab-tiers").ClickAsync();
            var chart = Page.GetByTestId("tier-history-chart");
            await Expect(chart).ToBeVisibleAsync();

            // The tier axis, top down: key accounts first.
            var labels = chart.Locator("text[x='0']");
            await Expect(labels).ToHaveTextAsync(["大客户", "主要客户", "普通客户", "小客户"]);
            var ys = new List<double>();
            for (var i = 0; i < 4; i++) ys.Add(double.Parse((await labels.Nth(i).GetAttributeAsync("y"))!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(ys.Order(), ys);

            // Time left to right: 2041 (key) left of 2042 (small).
            var points = chart.Locator("circle");
            await Expect(points).ToHaveCountAsync(2);
            var first = (await points.Nth(0).BoundingBoxAsync())!;
            var second = (await points.Nth(1).BoundingBoxAsync())!;
            Assert.True(first.X < second.X, "the older run is left");
            Assert.True(first.Y < second.Y, "the key-account year sits higher");
            await Expect(chart).ToContainTextAsync("2041-12");
            var months = await chart.Locator("text").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^204[12]-12$") }).AllTextContentsAsync();
            Assert.Equal(["2041-12", "2042-12"], months);
        }
        finally
        {
            // Published runs are what later runs compare with: the account leaves their populations (tests share the app).
            using var closer = await App.ClientAsync("admin");
            await AppServer.ExpectAsync(await closer.PutAsJsonAsync($"/api/v1/accounts/{account.Id}",
                new { code = account.Code, name = account.Name, type = "Customer", status = "Closed" }, AppServer.Json), HttpStatusCode.OK);
        }
    }
}
