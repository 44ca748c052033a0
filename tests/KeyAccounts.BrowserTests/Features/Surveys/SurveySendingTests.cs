using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Surveys;

public sealed class SurveySendingTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task SendSurvey_FromTheServiceTab_PickerShowsNamesAndTheLinkIsCopied()
    {
        var account = await App.CreateAccountAsync("rep");
        var contactName = "冯" + AppServer.Unique("")[..4];
        await App.PostAsync("rep", $"/api/v1/accounts/{account.Id}/contacts", new { name = contactName, email = "feng@example.com" });
        var templateName = AppServer.Unique("年度满意度");
        await App.PostAsync("manager", "/api/v1/surveys/templates",
            new { name = templateName, questions = new object[] { new { kind = "Csat", text = "产品质量" } } });
        await Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);

        await SignInAsync("rep", returnUrl: $"/accounts/{account.Id}");
        await Page.GetByTestId("tab-service").ClickAsync();
        await SelectAsync(Page, "survey-template", templateName);
        await Expect(Page.GetByTestId("survey-template")).ToContainTextAsync(templateName);
        await SelectAsync(Page, "survey-contacts", contactName);
        // The picker names the person chosen, not their id.
        await Expect(Field(Page, "survey-contacts")).ToHaveValueAsync(contactName);
        await Page.GetByTestId("survey-send").ClickAsync();

        var link = Page.GetByTestId("survey-link");
        await Expect(link).ToContainTextAsync($"{contactName}: ");
        var url = (await link.Locator("code").TextContentAsync())!.Trim();
        Assert.Contains("/s/", url, StringComparison.Ordinal);
        await Page.GetByTestId("survey-copy").ClickAsync();
        await Expect(Page.Locator(".mud-snackbar")).ToContainTextAsync("链接已复制");
        Assert.Equal(url, await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Expect(Page.GetByTestId("survey-mail")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^mailto:feng%40example\\.com\\?"));
    }
}
