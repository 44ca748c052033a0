using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Contacts;

public sealed class ContactsPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task KeyPeople_RepSearchesByName_FindsOwnContactsOnlyAndOpensTheAccount()
    {
        var rep = AppServer.Unique("people").ToLowerInvariant();
        var repId = await App.CreateUserAsync(rep, ["Rep"], App.EastTeamId);
        var mine = await App.CreateAccountAsync("admin", fields: new { ownerId = repId });
        var foreign = await App.CreateAccountAsync("admin");
        var surname = "蒋" + AppServer.Unique("").Substring(0, 4);
        await App.PostAsync("admin", $"api/v1/accounts/{mine.Id}/contacts", new { name = surname + "总", title = "总经理", role = "DecisionMaker", attitude = "Supporter", influence = 5 });
        await App.PostAsync("admin", $"api/v1/accounts/{foreign.Id}/contacts", new { name = surname + "工", role = "User" });
        await SignInAsync(rep, returnUrl: "/contacts");

        await Field(Page, "contacts-search").FillAsync(surname);
        var table = Page.GetByTestId("contacts-page-table");
        await Expect(table).ToContainTextAsync(surname + "总");
        await Expect(table).Not.ToContainTextAsync(surname + "工");
        await Expect(Page.GetByTestId("contact-account-link")).ToHaveCountAsync(1);

        await Page.GetByTestId("contact-account-link").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/accounts/{mine.Id}$"));
    }
}
