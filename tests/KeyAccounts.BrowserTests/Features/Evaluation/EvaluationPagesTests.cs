using System.Net;
using System.Net.Http.Json;
using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Evaluation;

public sealed class EvaluationPagesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task BuildModelWithAhp_RunOverrideApprove_ShowsTheKeyAccountList()
    {
        var big = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep"] });
        var small = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep"] });
        // The run page proposes the previous year by default.
        var year = DateTime.UtcNow.Year - 1;
        using (var admin = await App.ClientAsync("admin"))
        {
            var orderNo = AppServer.Unique("SO");
            await AppServer.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/transactions/orders", new
            {
                items = new object[]
                {
                    new { orderNo, accountCode = big.Code, orderDate = $"{year}-03-01", productCode = "P-UI", productName = "减速机", quantity = 20, unitPrice = 9_000, unitCost = 6_000, line = 1 },
                    new { orderNo = orderNo + "B", accountCode = small.Code, orderDate = $"{year}-04-01", productCode = "P-UI", productName = "减速机", quantity = 1, unitPrice = 5_000, unitCost = 4_000, line = 1 },
                },
            }, AppServer.Json), HttpStatusCode.OK);
        }

        await SignInAsync("admin", returnUrl: "/evaluation/models");
        await Page.GetByTestId("model-new").ClickAsync();
        // Named, so that its own row is activated whatever models other tests left in the list.
        var modelName = "AHP " + AppServer.Unique("M");
        await Field(Page, "model-name").FillAsync(modelName);
        await Page.GetByTestId("method-ahp").ClickAsync();
        // Keep contract count, unit price and revenue.
        for (var left = 7; left >= 3; left--)
        {
            await Page.GetByTestId("criterion-remove").Last.ClickAsync();
            await Expect(Page.GetByTestId("criterion-row")).ToHaveCountAsync(left);
        }

        // Revenue matters most; first a circular judgement (contracts 5× revenue), then the consistent one.
        // Saaty's scale is a picker: "1/3" is a third (typed, it was read as 13).
        await Page.GetByTestId("ahp-input-0-1").SelectOptionAsync("1/3");
        await Page.GetByTestId("ahp-input-1-2").SelectOptionAsync("1/3");
        await Page.GetByTestId("ahp-input-0-2").SelectOptionAsync("5");
        await Expect(Page.GetByTestId("ahp-worst").First).ToBeVisibleAsync();
        await Expect(Page.Locator(".ahp-worst").First).ToBeVisibleAsync();
        await Page.GetByTestId("ahp-input-0-2").SelectOptionAsync("1/5");
        await Expect(Page.GetByTestId("ahp-worst")).ToHaveCountAsync(0);
        var cr = double.Parse(await Page.GetByTestId("ahp-cr-value").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(cr < 0.1);

        await Field(Page, "tier-key-min").FillAsync("70");
        await Page.GetByTestId("model-save").ClickAsync();
        await Expect(Page.GetByTestId("model-editor")).ToHaveCountAsync(0);
        await Page.GetByTestId("models-table").Locator("tr").Filter(new() { HasText = modelName }).GetByTestId("model-activate").ClickAsync();
        await Expect(Page.GetByTestId("models-table")).ToContainTextAsync("CR");

        await GotoAsync("/evaluation/runs");
        await Page.GetByTestId("run-check").ClickAsync();
        await Page.GetByTestId("run-confirm").ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/evaluation/runs/", StringComparison.Ordinal));
        await WaitForInteractiveAsync(Page);

        var smallRow = Page.GetByTestId("results-table").Locator("tr").Filter(new() { HasText = small.Code });
        // Its own tier depends on every account other tests rated too; what matters is that it is not a key account before the override.
        await Expect(smallRow.GetByTestId("result-tier")).Not.ToHaveTextAsync("大客户");
        await smallRow.GetByTestId("result-explain").ClickAsync();
        await Expect(Page.GetByTestId("result-factors")).ToBeVisibleAsync();
        await smallRow.GetByTestId("result-override").ClickAsync();
        await SelectAsync(Page, "override-tier", "大客户");
        await Field(Page, "override-reason").FillAsync("新签战略合作协议");
        await Page.GetByTestId("override-save").ClickAsync();
        await Expect(smallRow.GetByTestId("result-tier")).ToHaveTextAsync("大客户");

        await Page.GetByTestId("run-approve").ClickAsync();
        await Page.GetByTestId("publish-confirm").ClickAsync();
        await Expect(Page.GetByTestId("run-status")).ToHaveTextAsync("已发布");

        await GotoAsync("/key-accounts");
        var list = Page.GetByTestId("key-accounts-table");
        await Expect(list).ToContainTextAsync(big.Code);
        await Expect(list).ToContainTextAsync(small.Code);

        await GotoAsync($"/accounts/{small.Id}");
        await Page.GetByTestId("tab-tiers").ClickAsync();
        await Expect(Page.GetByTestId("tier-history-chart")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("tier-history-table")).ToContainTextAsync("调整: 新签战略合作协议");
    }

    /// <summary>
    /// A run of the standard model over a year nobody judged waits for approval: the leader sees, in Chinese, that every account got 0
    /// on the judged criteria, and the summary of what publishing changes before confirming it.
    /// </summary>
    [Fact]
    public async Task LeaderOpensWaitingRun_ConfirmsTheSummaryDialog_RunIsPublished()
    {
        var account = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep"] });
        const int year = 2047;
        long runId;
        using (var leader = await App.ClientAsync("leader"))
        {
            var orderNo = AppServer.Unique("SO");
            using var admin = await App.ClientAsync("admin");
            await AppServer.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/transactions/orders", new
            {
                items = new object[]
                {
                    new { orderNo, accountCode = account.Code, orderDate = $"{year}-03-01", productCode = "P-PUB", productName = "减速机", quantity = 20, unitPrice = 90_000, unitCost = 60_000, line = 1 },
                },
            }, AppServer.Json), HttpStatusCode.OK);
            // Revenue in bands and one judged criterion nobody scores.
            var model = await AppServer.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/evaluation/models", new
            {
                name = AppServer.Unique("发布"),
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
            var run = await AppServer.ExpectAsync(await leader.PostAsJsonAsync("/api/v1/evaluation/runs",
                new { modelId, periodStart = $"{year}-01-01", periodEnd = $"{year}-12-31" }, AppServer.Json), HttpStatusCode.Created);
            runId = run.GetProperty("id").GetInt64();
        }

        await SignInAsync("leader", returnUrl: $"/evaluation/runs/{runId}");
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("run-status")).ToHaveTextAsync("待审批");
        await Expect(Page.GetByTestId("run-notes")).ToContainTextAsync("均无评分");
        await Page.GetByTestId("run-approve").ClickAsync();
        await Expect(Page.GetByTestId("publish-title")).ToHaveTextAsync("发布本次评价？");
        await Expect(Page.GetByTestId("publish-total")).ToContainTextAsync("个客户等级变化");
        await Expect(Page.GetByTestId("publish-departments")).ToContainTextAsync("进入名单");
        await Expect(Page.GetByTestId("publish-owners")).ToBeVisibleAsync();
        await Page.GetByTestId("publish-confirm").ClickAsync();
        await Expect(Page.GetByTestId("run-status")).ToHaveTextAsync("已发布");
        await Expect(Page.GetByTestId("run-approve")).ToHaveCountAsync(0);

        // The published run is the one later runs compare with: closed, its account leaves their populations (tests share the app).
        using var closer = await App.ClientAsync("admin");
        await AppServer.ExpectAsync(await closer.PutAsJsonAsync($"/api/v1/accounts/{account.Id}",
            new { code = account.Code, name = account.Name, type = "Customer", status = "Closed" }, AppServer.Json), HttpStatusCode.OK);
    }
}
