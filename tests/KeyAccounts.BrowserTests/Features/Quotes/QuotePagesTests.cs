using System.Net;
using System.Net.Http.Json;
using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Quotes;

public sealed class QuotePagesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>A product fed from the ERP (through an order of another account) with a price on the standard list.</summary>
    private async Task<(string Code, string Name)> PricedProductAsync(decimal price)
    {
        var buyer = await App.CreateAccountAsync("admin");
        var code = AppServer.Unique("BT-Q");
        var name = $"风电主齿轮箱 {code[^4..]}";
        using var admin = await App.ClientAsync("admin");
        await AppServer.ExpectAsync(await admin.PostAsJsonAsync("api/v1/transactions/orders", new
        {
            items = new[] { new { orderNo = AppServer.Unique("ERP"), accountCode = buyer.Code, orderDate = "2026-01-05", productCode = code, productName = name, quantity = 1, unitPrice = price, unitCost = price * 0.7m } },
        }, AppServer.Json), HttpStatusCode.OK);
        var products = await AppServer.ExpectAsync(await admin.GetAsync($"api/v1/products?search={code}"), HttpStatusCode.OK);
        var productId = products.GetProperty("items")[0].GetProperty("id").GetInt64();
        await App.PostAsync("admin", "/api/v1/price-lists", new { name = "浏览器测试标准价", validFrom = "2020-01-01", lines = new[] { new { productId, unitPrice = price } } });
        return (code, name);
    }

    [Fact]
    public async Task Quote_CreatedSubmittedWithinPolicyAndOrdered_PrintsWithTheHeaderAndLines()
    {
        var account = await App.CreateAccountAsync("rep");
        var (code, name) = await PricedProductAsync(1450m);
        await SignInAsync("rep", returnUrl: $"/quotes/new?accountId={account.Id}");
        await WaitForInteractiveAsync(Page);

        await Field(Page, "quote-line-product-0").FillAsync(code);
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = code }).First.ClickAsync();
        await Expect(Page.GetByTestId("quote-line-amount-0")).ToHaveTextAsync("1,450.00");
        await Field(Page, "quote-line-quantity-0").FillAsync("10");
        await Field(Page, "quote-line-quantity-0").PressAsync("Tab");
        await Expect(Page.GetByTestId("quote-line-amount-0")).ToHaveTextAsync("14,500.00");
        await Expect(Page.GetByTestId("quote-line-explanation-0")).ToContainTextAsync("目录价 1,450.00（浏览器测试标准价）");
        await Expect(Page.GetByTestId("quote-total")).ToContainTextAsync("14,500.00");

        await Page.GetByTestId("quote-submit").ClickAsync();
        await Expect(Page.GetByTestId("quote-state")).ToHaveTextAsync("已批准");
        await Expect(Page.GetByTestId("quote-line-explanation-0")).ToContainTextAsync("政策范围内，提交时自动批准");
        await Page.GetByTestId("quote-order").ClickAsync();
        await Expect(Page.GetByTestId("quote-state")).ToHaveTextAsync("已转订单");
        var number = (await Page.GetByTestId("quote-number").TextContentAsync())!.Trim();
        var quoteId = Page.Url.Split('/').Last();
        await Expect(Page.GetByTestId("quote-order-no")).ToContainTextAsync($"SO-{number}");
        await Page.ScreenshotAsync(new() { Path = Path.Combine(AppServer.RepositoryRoot(), "tests", "KeyAccounts.BrowserTests", "screenshots", "QuotePage-ordered.png"), FullPage = true });

        await GotoAsync($"/accounts/{account.Id}");
        await Page.GetByTestId("tab-quotes").ClickAsync();
        await Expect(Page.GetByTestId("quote-link")).ToHaveTextAsync(number);
        await GotoAsync("/price-lists");
        await Expect(Page.GetByTestId("price-list-list")).ToContainTextAsync("浏览器测试标准价");
        await GotoAsync($"/quotes/{quoteId}");

        var print = await Page.GetByTestId("quote-print").GetAttributeAsync("href");
        await Page.GotoAsync(new Uri(App.BaseUrl, print).ToString());
        await Expect(Page.GetByTestId("print-company")).ToContainTextAsync("华锐传动科技有限公司");
        await Expect(Page.GetByTestId("print-number")).ToHaveTextAsync(number);
        await Expect(Page.GetByTestId("print-account")).ToHaveTextAsync(account.Name);
        await Expect(Page.GetByTestId("print-lines")).ToContainTextAsync(name);
        await Expect(Page.GetByTestId("print-total")).ToHaveTextAsync("¥14,500.00");
    }
}
