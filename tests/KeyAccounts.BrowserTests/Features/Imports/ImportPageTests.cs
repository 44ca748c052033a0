using System.Net;
using System.Text;
using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Imports;

public sealed class ImportPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task ImportAccounts_WithBadRows_ShowsLineAndColumnThenSkipsThem()
    {
        var good = AppServer.Unique("IM");
        var badCode = AppServer.Unique("IM");
        var noName = AppServer.Unique("IM");
        var csv = $"""
            code,name,type,province,creditCode
            {good},杭州{good}轴承有限公司,Customer,浙江,
            {badCode},宁波{badCode}液压有限公司,Customer,浙江,91350100M000100Y44
            {noName},,Dealer,江苏,
            """;
        await SignInAsync("rep", returnUrl: "/imports");

        var chooser = await Page.RunAndWaitForFileChooserAsync(() => Page.GetByTestId("import-choose").ClickAsync());
        await chooser.SetFilesAsync(new FilePayload
        {
            Name = "accounts.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(),
        });
        await Expect(Page.GetByTestId("import-file-name")).ToHaveTextAsync("accounts.csv");
        await Page.GetByTestId("import-check").ClickAsync();

        await Expect(Page.GetByTestId("import-accepted")).ToHaveTextAsync("1");
        await Expect(Page.GetByTestId("import-rejected")).ToHaveTextAsync("2");
        var lines = await Page.GetByTestId("import-error-line").AllInnerTextsAsync();
        var columns = await Page.GetByTestId("import-error-column").AllInnerTextsAsync();
        Assert.Contains(("3", "creditCode"), lines.Zip(columns));
        Assert.Contains(("4", "name"), lines.Zip(columns));
        // The reasons are in the page's language (the API's report says them in English).
        var reasons = await Page.GetByTestId("import-error-message").AllInnerTextsAsync();
        Assert.Contains("校验码应为“3”，而不是“4”。", reasons);
        Assert.Contains("名称不能为空。", reasons);

        // A dry run writes nothing.
        using var rep = await App.ClientAsync("rep");
        Assert.Equal(0, (await AppServer.ExpectAsync(await rep.GetAsync($"/api/v1/accounts?search={good}"), HttpStatusCode.OK)).GetProperty("total").GetInt32());

        await Page.GetByTestId("import-skip-invalid").ClickAsync();
        await Page.GetByTestId("import-run").ClickAsync();
        await Expect(Page.GetByTestId("import-result")).ToContainTextAsync("已导入");

        Assert.Equal(1, (await AppServer.ExpectAsync(await rep.GetAsync($"/api/v1/accounts?search={good}"), HttpStatusCode.OK)).GetProperty("total").GetInt32());
        Assert.Equal(0, (await AppServer.ExpectAsync(await rep.GetAsync($"/api/v1/accounts?search={badCode}"), HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }
}
