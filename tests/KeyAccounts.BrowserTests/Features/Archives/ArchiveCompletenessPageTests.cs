using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Archives;

public sealed class ArchiveCompletenessPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task ThinnestArchives_RepSignedIn_ListsOwnKeyAccountWithWhatIsMissing()
    {
        var rep = AppServer.Unique("thin").ToLowerInvariant();
        var repId = await App.CreateUserAsync(rep, ["Rep"], App.EastTeamId);
        var mine = await App.CreateAccountAsync("admin", fields: new { ownerId = repId, tier = "Key" });
        var foreign = await App.CreateAccountAsync("admin", fields: new { tier = "Key" });
        await SignInAsync(rep, returnUrl: "/archives/completeness");

        var rows = Page.GetByTestId("completeness-account");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveTextAsync(mine.Name);
        await Expect(Page.GetByTestId("completeness-table")).Not.ToContainTextAsync(foreign.Name);
        Assert.True(await Page.GetByTestId("missing-section").CountAsync() >= 3);

        await rows.First.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/accounts/{mine.Id}$"));
    }
}
