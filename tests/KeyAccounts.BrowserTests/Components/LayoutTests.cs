using System.Text.RegularExpressions;
using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Components;

public sealed class LayoutTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private ILocator NavLink(IPage p, string text) => p.Locator(".mud-navmenu a").Filter(new() { HasText = text }).First;

    [Fact]
    public async Task SwitchLanguage_ChineseToEnglishAndBack_MenuFollows()
    {
        await SignInAsync("rep");
        await Expect(NavLink(Page, "客户")).ToBeVisibleAsync();

        await Page.GetByTestId("language-menu").ClickAsync();
        await Page.GetByTestId("lang-en").ClickAsync();
        await Page.WaitForURLAsync(_ => true);
        await WaitForInteractiveAsync(Page);
        await Expect(NavLink(Page, "Accounts")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("home-page")).ToHaveTextAsync("Home");

        await Page.GetByTestId("language-menu").ClickAsync();
        await Page.GetByTestId("lang-zh").ClickAsync();
        await Expect(NavLink(Page, "客户")).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("home-page")).ToHaveTextAsync("首页");
    }

    [Fact]
    public async Task HomePage_AtPhoneWidth_RendersWithDrawerCollapsed()
    {
        var phone = await UsePhoneAsync();
        await App.PostAsync("rep2", "/api/v1/accounts", new { code = AppServer.Unique("PH"), name = "手机测试" + AppServer.Unique("N") + "有限公司", type = "Customer" });
        await SignInAsync("rep2", on: phone);

        await Expect(phone.GetByTestId("home-page")).ToBeVisibleAsync();
        await Expect(phone.GetByTestId("home-tier-Ordinary")).ToBeInViewportAsync();
        var drawer = phone.Locator(".mud-drawer").First;
        await Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await Expect(NavLink(phone, "客户")).Not.ToBeInViewportAsync();
        var width = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width}px wide at a 390px viewport");

        await phone.Locator("header button[aria-label=menu]").ClickAsync();
        await Expect(NavLink(phone, "客户")).ToBeInViewportAsync();
    }

    [Fact]
    public async Task HomePage_RepWithAccounts_ShowsTierCountsAndRecentChanges()
    {
        var userName = AppServer.Unique("home").ToLowerInvariant();
        await App.CreateUserAsync(userName, ["Rep"], App.EastTeamId);
        var name = "首页测试" + AppServer.Unique("N") + "有限公司";
        await App.PostAsync(userName, "/api/v1/accounts", new { code = AppServer.Unique("HM"), name, type = "Dealer" });
        await App.PostAsync(userName, "/api/v1/accounts", new { code = AppServer.Unique("HM"), name = "首页测试" + AppServer.Unique("N") + "股份有限公司", type = "Customer" });

        await SignInAsync(userName);

        await Expect(Page.GetByTestId("home-tier-Ordinary").GetByTestId("home-tier-count")).ToHaveTextAsync("2");
        await Expect(Page.GetByTestId("home-tier-Key").GetByTestId("home-tier-count")).ToHaveTextAsync("0");
        await Expect(Page.GetByTestId("home-recent")).ToContainTextAsync(name);
    }
}
