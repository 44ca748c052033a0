using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Complaints;

public sealed class ComplaintsPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>Picks one option of a select in the dialog; no Escape to close the list, which would close the dialog too.</summary>
    private async Task PickAsync(string testId, string option)
    {
        await Page.GetByTestId(testId).ClickAsync();
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = option }).First.ClickAsync();
        await Expect(Page.GetByTestId(testId)).ToContainTextAsync(option);
    }

    [Fact]
    public async Task NewComplaint_FromTheComplaintsPage_SavedAndListed()
    {
        // A rep of their own, so the complaints list shows only what this test logs.
        var repName = AppServer.Unique("cmp").ToLowerInvariant();
        await App.CreateUserAsync(repName, ["Rep"], App.EastTeamId);
        var account = await App.CreateAccountAsync(repName);
        var contactName = "孙" + AppServer.Unique("")[..4];
        await App.PostAsync(repName, $"/api/v1/accounts/{account.Id}/contacts", new { name = contactName });

        await SignInAsync(repName, returnUrl: "/complaints");
        await Page.GetByTestId("complaint-new").ClickAsync();
        await Expect(Page.GetByTestId("complaint-dialog")).ToBeVisibleAsync();
        await Field(Page, "complaint-dialog-account").FillAsync(account.Code);
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = account.Code }).First.ClickAsync();
        // The account's people load once it is chosen; its only one is taken for the complaint.
        var contact = Page.GetByTestId("complaint-dialog-contact");
        await Expect(contact).ToBeEnabledAsync();
        if (!(await contact.TextContentAsync() ?? "").Contains(contactName, StringComparison.Ordinal)) await PickAsync("complaint-dialog-contact", contactName);
        await Expect(contact).ToContainTextAsync(contactName);
        await PickAsync("complaint-dialog-category", "质量");
        await PickAsync("complaint-dialog-severity", "高");
        await Field(Page, "complaint-dialog-description").FillAsync("第 2403 批轴承异响");
        await Page.GetByTestId("complaint-dialog-save").ClickAsync();

        // The dialog opens the new complaint by the app's own navigation (no page load to wait for): poll the address.
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/complaints/[0-9]+$"));
        var id = new Uri(Page.Url).AbsolutePath["/complaints/".Length..];
        await GotoAsync("/complaints");
        var rows = Page.GetByTestId("complaint-list").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First.GetByTestId("complaint-link")).ToHaveTextAsync($"#{id}");
        await Expect(rows.First).ToContainTextAsync(account.Name);
        await Expect(rows.First).ToContainTextAsync("质量");
        await Expect(rows.First.GetByTestId("complaint-status")).ToHaveTextAsync("新建");
    }
}
