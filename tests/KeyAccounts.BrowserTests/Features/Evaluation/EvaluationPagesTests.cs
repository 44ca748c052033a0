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
        await Page.GetByTestId("model-activate").First.ClickAsync();
        await Expect(Page.GetByTestId("models-table")).ToContainTextAsync("CR");

        await GotoAsync("/evaluation/runs");
        await Page.GetByTestId("run-check").ClickAsync();
        await Page.GetByTestId("run-confirm").ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/evaluation/runs/", StringComparison.Ordinal));
        await WaitForInteractiveAsync(Page);

        var smallRow = Page.GetByTestId("results-table").Locator("tr").Filter(new() { HasText = small.Code });
        await Expect(smallRow.GetByTestId("result-tier")).ToHaveTextAsync("小客户");
        await smallRow.GetByTestId("result-explain").ClickAsync();
        await Expect(Page.GetByTestId("result-factors")).ToBeVisibleAsync();
        await smallRow.GetByTestId("result-override").ClickAsync();
        await SelectAsync(Page, "override-tier", "大客户");
        await Field(Page, "override-reason").FillAsync("新签战略合作协议");
        await Page.GetByTestId("override-save").ClickAsync();
        await Expect(smallRow.GetByTestId("result-tier")).ToHaveTextAsync("大客户");

        await Page.GetByTestId("run-approve").ClickAsync();
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
}
