using System.Net;
using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Receivables;

public sealed class FinancePageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>The business day in China, as the app counts due dates.</summary>
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    [Fact]
    public async Task Instalment_PastItsDueDateUnpaid_OverdueOnFinancePageAndAccount()
    {
        var account = await App.CreateAccountAsync("rep");
        var invoiceNo = AppServer.Unique("INV");
        await App.PostAsync("finance", "/api/v1/transactions/invoices", new
        {
            items = new[] { new { invoiceNo, accountCode = account.Code, issuedOn = Today.AddDays(-40), dueOn = Today.AddDays(20), amount = 1000m } },
        }, HttpStatusCode.OK);
        await App.PostAsync("finance", "/api/v1/collection-plans", new
        {
            invoiceNo,
            instalments = new[] { new { dueOn = Today.AddDays(-3), amount = 400m }, new { dueOn = Today.AddDays(20), amount = 600m } },
        });
        await App.PostAsync("finance", "/api/v1/transactions/payments", new
        {
            items = new[] { new { paymentNo = AppServer.Unique("PAY"), accountCode = account.Code, paidOn = Today.AddDays(-1), amount = 100m, invoiceNo, method = "电汇" } },
        }, HttpStatusCode.OK);

        await SignInAsync("finance", returnUrl: "/finance");
        await Expect(Page.GetByTestId("nav-finance")).ToBeVisibleAsync();
        var row = Page.GetByTestId("finance-overdue").Locator("tbody tr", new() { HasText = invoiceNo });
        await Expect(row).ToContainTextAsync("第 1 期");
        await Expect(row).ToContainTextAsync("300.00");
        await Expect(Page.GetByTestId("finance-ageing")).ToContainTextAsync(account.Code);
        await Expect(Page.GetByTestId("finance-held-orders")).ToBeVisibleAsync();

        await GotoAsync($"/accounts/{account.Id}");
        await Page.GetByTestId("tab-receivables").ClickAsync();
        var states = Page.GetByTestId("receivables-instalment-state");
        await Expect(states.Nth(0)).ToHaveTextAsync("逾期");
        await Expect(states.Nth(1)).ToHaveTextAsync("待回款");
    }
}
