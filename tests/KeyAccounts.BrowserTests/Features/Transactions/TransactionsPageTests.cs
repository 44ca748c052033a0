using System.Text;
using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Transactions;

public sealed class TransactionsPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task ImportOrders_WithABadRow_SkipsItAndTheAccountShowsTotals()
    {
        var account = await App.CreateAccountAsync("rep");
        var csv = $"""
            orderNo,accountCode,orderDate,productCode,productName,quantity,unitPrice,unitCost
            {account.Code}-1,{account.Code},2026-03-01,BT-GEAR,齿轮箱,2,1000,600
            {account.Code}-1,{account.Code},2026-03-01,BT-BRG,轴承,10,50,30
            {account.Code}-2,{account.Code},2026-13-01,BT-BRG,轴承,1,50,30
            {account.Code}-3,{account.Code},2026-04-01,BT-BRG,轴承,-2,50,30
            """;
        await SignInAsync("rep", returnUrl: "/imports");

        await SelectAsync(Page, "import-kind", "订单");
        var chooser = await Page.RunAndWaitForFileChooserAsync(() => Page.GetByTestId("import-choose").ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "orders.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Expect(Page.GetByTestId("import-file-name")).ToHaveTextAsync("orders.csv");
        await Page.GetByTestId("import-check").ClickAsync();

        await Expect(Page.GetByTestId("import-accepted")).ToHaveTextAsync("3");
        await Expect(Page.GetByTestId("import-rejected")).ToHaveTextAsync("1");
        await Expect(Page.GetByTestId("import-error-line")).ToHaveTextAsync("4");
        await Expect(Page.GetByTestId("import-error-column")).ToHaveTextAsync("orderDate");

        await Page.GetByTestId("import-skip-invalid").ClickAsync();
        await Page.GetByTestId("import-run").ClickAsync();
        await Expect(Page.GetByTestId("import-result")).ToContainTextAsync("已导入");

        await GotoAsync($"/accounts/{account.Id}");
        await Page.GetByTestId("tab-transactions").ClickAsync();
        await Expect(Page.GetByTestId("total-revenue")).ToHaveTextAsync("2,400.00");
        await Expect(Page.GetByTestId("total-profit")).ToHaveTextAsync("960.00");
        await Expect(Page.GetByTestId("total-orders")).ToHaveTextAsync("2");
        await Expect(Page.GetByTestId("total-returns")).ToHaveTextAsync("100.00");
        await Expect(Page.GetByTestId("transactions-orders").Locator("tbody tr")).ToHaveCountAsync(2);
    }
}
