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
        // The switch reloads the page: the English menu comes with the new document, and its circuit after it.
        await Expect(NavLink(Page, "Accounts")).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("home-page")).ToHaveTextAsync("Work-bench");

        await Page.GetByTestId("language-menu").ClickAsync();
        await Page.GetByTestId("lang-zh").ClickAsync();
        await Expect(NavLink(Page, "客户")).ToBeVisibleAsync();
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("home-page")).ToHaveTextAsync("工作台");
    }

    [Fact]
    public async Task HomePage_AtPhoneWidth_RendersWithDrawerCollapsed()
    {
        var phone = await UsePhoneAsync();
        await App.CreateAccountAsync("rep2");
        await SignInAsync("rep2", on: phone);

        await Expect(phone.GetByTestId("home-page")).ToBeVisibleAsync();
        await Expect(phone.GetByTestId("home-overdue-tasks")).ToBeInViewportAsync();
        var drawer = phone.Locator(".mud-drawer").First;
        await Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await Expect(NavLink(phone, "客户")).Not.ToBeInViewportAsync();
        var width = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width}px wide at a 390px viewport");

        await phone.GetByTestId("menu").ClickAsync();
        await Expect(NavLink(phone, "客户")).ToBeInViewportAsync();
    }

    [Fact]
    public async Task HomePage_RepWithAccounts_ShowsTierCountsAndThinArchives()
    {
        var userName = AppServer.Unique("home").ToLowerInvariant();
        await App.CreateUserAsync(userName, ["Rep"], App.EastTeamId);
        await App.CreateAccountAsync(userName, type: "Dealer");
        await App.CreateAccountAsync(userName);
        await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds[userName], tier = "Key" });

        await SignInAsync(userName);

        await Expect(Page.GetByTestId("home-tier-Ordinary").GetByTestId("home-tier-count")).ToHaveTextAsync("2");
        await Expect(Page.GetByTestId("home-tier-Key").GetByTestId("home-tier-count")).ToHaveTextAsync("1");
        await Expect(Page.GetByTestId("home-thin-archives")).ToBeVisibleAsync();
    }
}
