using System.Text.RegularExpressions;
using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Accounts;

public sealed class AccountPagesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task CreateAccount_ThroughTheDialog_OpensTheNewAccount()
    {
        var code = AppServer.Unique("NA");
        var name = $"苏州{code}精工有限公司";
        await SignInAsync("rep", returnUrl: "/accounts");

        await Page.GetByTestId("new-account").ClickAsync();
        await Field(Page, "new-account-code").FillAsync(code);
        await Field(Page, "new-account-name").FillAsync(name);
        // A credit code with a wrong check character is refused with the rule's reason, in the user's language.
        await Field(Page, "new-account-credit-code").FillAsync("91350100M000100Y44");
        await Page.GetByTestId("new-account-save").ClickAsync();
        await Expect(Page.GetByText("校验码应为“3”，而不是“4”。").First).ToBeVisibleAsync();
        await Field(Page, "new-account-credit-code").FillAsync("");
        await Page.GetByTestId("new-account-save").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex(@"/accounts/\d+$"));
        await Expect(Page.GetByTestId("account-title")).ToHaveTextAsync(name);
        // The overview form reuses the "account-code" test id on its input; the header is the one to read.
        await Expect(Page.GetByTestId("account-header").GetByTestId("account-code")).ToHaveTextAsync(code);
    }

    [Fact]
    public async Task EditAccount_ChangeNameAndSave_TitleFollows()
    {
        var account = await App.CreateAccountAsync("rep");
        var renamed = account.Name.Replace("精密机械", "智能装备");
        await SignInAsync("rep", returnUrl: $"/accounts/{account.Id}");

        await Field(Page, "account-name").FillAsync(renamed);
        await Page.GetByTestId("account-save").ClickAsync();

        await Expect(Page.GetByTestId("account-title")).ToHaveTextAsync(renamed);
        await Page.ReloadAsync();
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("account-title")).ToHaveTextAsync(renamed);
    }

    [Fact]
    public async Task EditArchive_TwoEditorsAtOnce_SecondSaveShowsConflict()
    {
        var account = await App.CreateAccountAsync("rep");
        var path = $"/accounts/{account.Id}";
        var second = await NewPageAsync();
        await SignInAsync("rep", returnUrl: path);
        await SignInAsync("manager", on: second, returnUrl: path);

        foreach (var p in new[] { Page, second })
        {
            await p.GetByTestId("tab-archive").ClickAsync();
            await p.GetByTestId("archive-edit").ClickAsync();
        }
        await Field(Page, "scale-employees").FillAsync("120");
        await Page.GetByTestId("archive-save").ClickAsync();
        await Expect(Page.GetByTestId("archive-edit")).ToBeVisibleAsync();

        await Field(second, "scale-employees").FillAsync("300");
        await second.GetByTestId("archive-save").ClickAsync();

        await Expect(second.GetByTestId("archive-conflict")).ToBeVisibleAsync();
        using var rep = await App.ClientAsync("rep");
        var archive = await rep.GetStringAsync($"api/v1/accounts/{account.Id}/archive");
        Assert.Contains("120", archive);
        Assert.DoesNotContain("300", archive);
    }

    [Fact]
    public async Task RelationshipMap_AccountWithReportingLines_DrawsEveryPersonAndLine()
    {
        var account = await App.CreateAccountAsync("rep");
        var contacts = $"api/v1/accounts/{account.Id}/contacts";
        var boss = await App.PostAsync("rep", contacts, new { name = "张总", title = "总经理", role = "DecisionMaker", attitude = "Supporter", influence = 5 });
        var bossId = boss.GetProperty("id").GetInt64();
        await App.PostAsync("rep", contacts, new { name = "李工", title = "技术总监", role = "Influencer", attitude = "Neutral", influence = 4, reportsToId = bossId });
        await App.PostAsync("rep", contacts, new { name = "王经理", title = "采购经理", role = "Gatekeeper", attitude = "Opponent", influence = 3, reportsToId = bossId });
        await SignInAsync("rep", returnUrl: $"/accounts/{account.Id}");

        await Page.GetByTestId("tab-relationship-map").ClickAsync();

        var map = Page.GetByTestId("relationship-map");
        await Expect(map).ToBeVisibleAsync();
        await Expect(map.GetByTestId("map-node")).ToHaveCountAsync(3);
        await Expect(map.GetByTestId("map-edge")).ToHaveCountAsync(2);
        await Expect(map).ToContainTextAsync("张总");
        await Expect(map.Locator("[data-testid=map-node][data-attitude=Opponent]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task AccountList_SearchThenFilterByTier_ShowsOnlyTheMatches()
    {
        var token = AppServer.Unique("Q");
        await App.CreateAccountAsync("admin", $"{token}重工集团有限公司", fields: new { tier = "Key" });
        await App.CreateAccountAsync("admin", $"{token}五金商行有限公司", "Dealer", new { tier = "Small" });
        await App.CreateAccountAsync("admin", $"无关{AppServer.Unique("Z")}有限公司", fields: new { tier = "Key" });
        await SignInAsync("admin", returnUrl: "/accounts");

        await Field(Page, "account-search").FillAsync(token);
        await Expect(Page.GetByTestId("account-name")).ToHaveCountAsync(2);

        await SelectAsync(Page, "filter-tier", "大客户");
        await Expect(Page.GetByTestId("account-name")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("account-name")).ToHaveTextAsync($"{token}重工集团有限公司");
    }

    [Fact]
    public async Task AccountPage_ForeignAccount_ShowsNotFound()
    {
        var foreign = await App.CreateAccountAsync("westrep");
        await SignInAsync("rep", returnUrl: $"/accounts/{foreign.Id}");

        await Expect(Page.GetByTestId("account-not-found")).ToBeVisibleAsync();
        await Expect(Page.GetByText(foreign.Name)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AccountList_SearchByFullPinyin_FindsTheAccount()
    {
        var token = AppServer.Unique("");
        var name = $"恒力石化{token}有限公司";
        await App.CreateAccountAsync("rep", name);
        await SignInAsync("rep", returnUrl: "/accounts");

        await Field(Page, "account-search").FillAsync("hengli");

        await Expect(Page.GetByTestId("account-name").Filter(new() { HasText = name })).ToHaveCountAsync(1);
        await Field(Page, "account-search").FillAsync($"henglishihua{token.ToLowerInvariant()}");
        await Expect(Page.GetByTestId("account-name")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("account-name")).ToHaveTextAsync(name);
    }

    [Fact]
    public async Task CreateAccount_NameLikeAnotherApartFromBrackets_ShowsItAndCreatesOnlyWhenConfirmed()
    {
        var token = AppServer.Unique("");
        var existing = await App.CreateAccountAsync("rep", $"恒力石化{token}有限公司");
        var code = AppServer.Unique("ND");
        var name = $"恒力石化{token}（大连）有限公司";
        await SignInAsync("rep", returnUrl: "/accounts");

        await Page.GetByTestId("new-account").ClickAsync();
        await Field(Page, "new-account-code").FillAsync(code);
        await Field(Page, "new-account-name").FillAsync(name);
        await Page.GetByTestId("new-account-save").ClickAsync();

        var warning = Page.GetByTestId("near-duplicate-warning");
        await Expect(warning).ToContainTextAsync("已有名称相近的客户");
        await Expect(warning.GetByTestId("near-duplicate-link")).ToHaveTextAsync(existing.Name);
        await Expect(warning.GetByTestId("near-duplicate-link")).ToHaveAttributeAsync("href", $"/accounts/{existing.Id}");
        await Page.GetByTestId("new-account-confirm").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex(@"/accounts/\d+$"));
        await Expect(Page.GetByTestId("account-title")).ToHaveTextAsync(name);
    }
}
