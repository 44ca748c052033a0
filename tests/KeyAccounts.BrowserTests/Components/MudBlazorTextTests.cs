using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Components;

/// <summary>MudBlazor's own labels (the pager's buttons, a dialog's close button) follow the UI's language.</summary>
public sealed class MudBlazorTextTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task TablePager_ChinesePage_ButtonsLabelledInChinese()
    {
        await SignInAsync("admin", returnUrl: "/admin/users");

        var pager = Page.Locator(".mud-table-pagination-actions");
        await Expect(pager.Locator("button[aria-label='下一页']")).ToHaveCountAsync(1);
        await Expect(pager.Locator("button[aria-label='第一页']")).ToHaveCountAsync(1);
        await Expect(pager.Locator("button[aria-label='Next page']")).ToHaveCountAsync(0);

        await Page.GetByTestId("user-create").ClickAsync();
        await Expect(Page.Locator(".mud-dialog button[aria-label='关闭']")).ToHaveCountAsync(1);
    }
}
