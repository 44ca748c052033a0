using System.Net;
using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Accounts;

public sealed class TransfersPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task HandOverWholeBook_OfALeavingRep_MovesEveryAccountToTheSuccessor()
    {
        var leaver = AppServer.Unique("leave").ToLowerInvariant();
        var successor = AppServer.Unique("next").ToLowerInvariant();
        await App.CreateUserAsync(leaver, ["Rep"], App.EastTeamId);
        var successorId = await App.CreateUserAsync(successor, ["Rep"], App.EastTeamId);
        var first = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds[leaver] });
        await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds[leaver] });
        await SignInAsync("manager", returnUrl: "/transfers");

        await Page.GetByTestId("transfer-mode-book").ClickAsync();
        await Field(Page, "transfer-from").FillAsync(leaver);
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = leaver }).First.ClickAsync();
        await Field(Page, "transfer-successor").FillAsync(successor);
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = successor }).First.ClickAsync();
        await Page.GetByTestId("transfer-successor-add").ClickAsync();
        await Field(Page, "transfer-reason").FillAsync("离职交接");
        await Page.GetByTestId("transfer-submit").ClickAsync();

        await Expect(Page.GetByTestId("transfer-confirmation")).ToContainTextAsync("2");
        await Page.GetByTestId("transfer-confirm").ClickAsync();
        await Expect(Page.GetByTestId("transfer-result-row")).ToContainTextAsync("2");

        using var client = await App.ClientAsync("manager");
        var account = await AppServer.ExpectAsync(await client.GetAsync($"/api/v1/accounts/{first.Id}"), HttpStatusCode.OK);
        Assert.Equal(successorId, account.GetProperty("ownerId").GetString());
        var owners = await AppServer.ExpectAsync(await client.GetAsync($"/api/v1/accounts/{first.Id}/owners"), HttpStatusCode.OK);
        Assert.Equal("离职交接", owners[0].GetProperty("reason").GetString());
    }
}
