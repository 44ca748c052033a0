using System.Text;
using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Home;

/// <summary>An app of its own: the checklist reads the whole installation, and the shared app has accounts from other tests.</summary>
[CollectionDefinition(Name)]
public sealed class FreshAppCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser-fresh-app";
}

[Collection(FreshAppCollection.Name)]
public sealed class GettingStartedTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly string[] Untouched = ["Accounts", "Transactions", "RatingStandard", "FirstRun", "FirstPublished"];

    [Fact]
    public async Task GettingStarted_FreshInstall_AdminImportsAccountsThroughTheLinkAndSeesTheStepTicked()
    {
        await SignInAsync("admin");
        var checklist = Page.GetByTestId("getting-started");
        await Expect(checklist).ToContainTextAsync("快速上手");
        // The test company's departments and users are already in; nothing else is.
        await Expect(Page.GetByTestId("getting-started-People")).ToHaveAttributeAsync("data-done", "true");
        foreach (var step in Untouched)
            await Expect(Page.GetByTestId($"getting-started-{step}")).ToHaveAttributeAsync("data-done", "false");
        await Expect(Page.GetByTestId("getting-started-link-Accounts")).ToHaveTextAsync("导入客户");

        var english = await NewPageAsync(locale: "en");
        await SignInAsync("admin", on: english);
        await Expect(english.GetByTestId("getting-started")).ToContainTextAsync("Getting started");
        await Expect(english.GetByTestId("getting-started-link-Accounts")).ToHaveTextAsync("Import accounts");
        await Expect(english.GetByTestId("getting-started-Accounts")).ToHaveAttributeAsync("data-done", "false");

        await Page.GetByTestId("getting-started-link-Accounts").ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/imports");
        await WaitForInteractiveAsync(Page);
        var code = AppServer.Unique("GS");
        var chooser = await Page.RunAndWaitForFileChooserAsync(() => Page.GetByTestId("import-choose").ClickAsync());
        await chooser.SetFilesAsync(new FilePayload
        {
            Name = "accounts.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes($"code,name,type\n{code},杭州{code}轴承有限公司,Customer\n"),
        });
        await Expect(Page.GetByTestId("import-file-name")).ToHaveTextAsync("accounts.csv");
        await Page.GetByTestId("import-run").ClickAsync();
        await Expect(Page.GetByTestId("import-accepted")).ToHaveTextAsync("1");

        await GotoAsync("/");
        await Expect(Page.GetByTestId("getting-started-Accounts")).ToHaveAttributeAsync("data-done", "true");
        await Expect(Page.GetByTestId("getting-started-Transactions")).ToHaveAttributeAsync("data-done", "false");
        await english.ReloadAsync();
        await WaitForInteractiveAsync(english);
        await Expect(english.GetByTestId("getting-started-Accounts")).ToHaveAttributeAsync("data-done", "true");
    }

    [Fact]
    public async Task GettingStarted_NotAdministrator_NotShown()
    {
        await SignInAsync("leader");
        await Expect(Page.GetByTestId("home-page")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("getting-started")).ToHaveCountAsync(0);
    }
}
