using System.Net;
using System.Net.Http.Json;
using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Approvals;

public sealed class ApprovalsPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>A leader sees the count in the app bar, opens 待我审批, approves an evaluation run's request, and the run is published.</summary>
    [Fact]
    public async Task Inbox_LeaderApprovesARunsRequest_TheRunIsPublished()
    {
        var account = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep"] });
        const int year = 2049;
        var modelName = AppServer.Unique("审批");
        long runId;
        using (var admin = await App.ClientAsync("admin"))
        {
            await AppServer.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/transactions/orders", new
            {
                items = new object[]
                {
                    new { orderNo = AppServer.Unique("SO"), accountCode = account.Code, orderDate = $"{year}-03-01", productCode = "P-APR", productName = "减速机", quantity = 20, unitPrice = 90_000, unitCost = 60_000, line = 1 },
                },
            }, AppServer.Json), HttpStatusCode.OK);
            var model = await AppServer.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/evaluation/models", new
            {
                name = modelName,
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
            using var manager = await App.ClientAsync("manager");
            var run = await AppServer.ExpectAsync(await manager.PostAsJsonAsync("/api/v1/evaluation/runs",
                new { modelId, periodStart = $"{year}-01-01", periodEnd = $"{year}-12-31" }, AppServer.Json), HttpStatusCode.Created);
            runId = run.GetProperty("id").GetInt64();
        }
        long requestId;
        using (var leader = await App.ClientAsync("leader"))
            requestId = (await AppServer.ExpectAsync(await leader.GetAsync($"/api/v1/approvals?documentType=EvaluationRun&documentId={runId}"), HttpStatusCode.OK))
                .GetProperty("items")[0].GetProperty("id").GetInt64();

        await SignInAsync("leader", returnUrl: "/");
        await WaitForInteractiveAsync(Page);
        var badge = Page.GetByTestId("approvals-badge");
        Assert.True(int.Parse(await badge.GetAttributeAsync("data-count") ?? "0") >= 1);
        await ClickToNavigateAsync(Page.GetByTestId("approvals-button"), Page, "/approvals");
        await WaitForInteractiveAsync(Page);
        var row = Page.GetByTestId("approvals-inbox").GetByTestId("approval-open").Filter(new() { HasText = modelName });
        await Expect(row).ToHaveCountAsync(1);
        await ClickToNavigateAsync(row, Page, $"/approvals/{requestId}");
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("approval-state")).ToHaveTextAsync("审批中");
        await Expect(Page.GetByTestId("approval-document")).ToHaveAttributeAsync("href", $"/evaluation/runs/{runId}");
        await Page.GetByTestId("approval-approve").ClickAsync();
        await Field(Page, "approval-text").FillAsync("同意发布");
        await Page.GetByTestId("approval-confirm").ClickAsync();
        await Expect(Page.GetByTestId("approval-state")).ToHaveTextAsync("已通过");
        await Expect(Page.GetByTestId("approval-history-item").Filter(new() { HasText = "同意" }).First).ToBeVisibleAsync();

        using var reader = await App.ClientAsync("leader");
        var published = await AppServer.ExpectAsync(await reader.GetAsync($"/api/v1/evaluation/runs/{runId}"), HttpStatusCode.OK);
        Assert.Equal("Published", published.GetProperty("run").GetProperty("status").GetString());
    }
}
