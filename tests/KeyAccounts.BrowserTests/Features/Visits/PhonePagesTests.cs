using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Visits;

/// <summary>Visiting customers is the main use of the phone: the visits list, the calendar, the record form and the follow-up log at 390 × 844.</summary>
public sealed class PhonePagesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>Whether every open dialog is as wide as the screen (MudBlazor's dialogs grow while they open).</summary>
    private const string FillsTheWidth =
        "w => { const d = [...document.querySelectorAll('.mud-dialog')]; return d.length > 0 && d.every(e => e.getBoundingClientRect().width >= w); }";

    private const string LongName = "江苏恒力精密传动机械股份有限公司";

    private static Task<bool> FitsWidthAsync(IPage p) =>
        p.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth");

    /// <summary>How many characters of its own font the element is wide: a name broken one character per line is about one.</summary>
    private static Task<double> WidthInCharactersAsync(ILocator element) =>
        element.EvaluateAsync<double>("e => e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize)");

    private static async Task ExpectWithinScreenAsync(ILocator element)
    {
        // Other tests' visits may push the row below the fold: what is judged is that it is not cut at the side.
        await element.ScrollIntoViewIfNeededAsync();
        await Expect(element).ToBeVisibleAsync();
        var box = (await element.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= Phone.Width, $"{box.X} + {box.Width} lies outside {Phone.Width} px");
    }

    private async Task<(AppServer.CreatedAccount Account, long Visit, string Purpose)> PlannedVisitAsync(int inDays)
    {
        var account = await App.CreateAccountAsync("admin", name: LongName + AppServer.Unique(""), fields: new { ownerId = App.UserIds["rep"], tier = "Key" });
        await App.PostAsync("admin", $"/api/v1/accounts/{account.Id}/contacts", new { name = "周总", title = "总经理" });
        var purpose = AppServer.Unique("季度业务回顾与新产线需求");
        var visit = await App.PostAsync("rep", "/api/v1/visits", new
        {
            accountId = account.Id,
            level = "Business",
            plannedOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(inDays).ToString("yyyy-MM-dd"),
            purpose,
            contactIds = Array.Empty<long>(),
        });
        return (account, visit.GetProperty("id").GetInt64(), purpose);
    }

    [Fact]
    public async Task VisitsList_OnAPhone_FitsTheScreenWithTheNameOnOneLineAndTheRecordButtonInView()
    {
        var (account, _, purpose) = await PlannedVisitAsync(0);
        await UsePhoneAsync();
        await SignInAsync("rep", returnUrl: "/visits");
        var card = Page.Locator(".ka-visit-row").Filter(new() { HasText = purpose });
        await Expect(card).ToBeVisibleAsync();
        Assert.True(await FitsWidthAsync(Page), "the visits list scrolls sideways");

        var name = card.GetByTestId("visit-account");
        await Expect(name).ToHaveTextAsync(account.Name);
        Assert.True(await WidthInCharactersAsync(name) > 8, "the company name is squeezed into a narrow column");
        var record = card.GetByTestId("visit-record");
        await record.ScrollIntoViewIfNeededAsync();
        await ExpectWithinScreenAsync(record);

        // The record form fills the phone's screen and its save button can be reached.
        await record.ClickAsync();
        var dialog = Page.Locator(".mud-dialog").Filter(new() { Has = Page.GetByTestId("record-visit-dialog") });
        await Expect(Page.GetByTestId("record-save")).ToBeVisibleAsync();
        // The dialog may still be opening: wait until it has its full width, then check it.
        // Every dialog on the page is checked, polling until they fill the width (a timeout here: the form stays a box).
        await Page.WaitForFunctionAsync(FillsTheWidth, Phone.Width - 1);
        Assert.True(await FitsWidthAsync(Page), "the record form scrolls sideways");
        await Field(Page, "record-findings").FillAsync("客户计划扩产");
        await Page.GetByTestId("record-add-action").ClickAsync();
        await Field(Page, "record-action-title-0").FillAsync("寄送扩产方案");
        Assert.True(await WidthInCharactersAsync(Field(Page, "record-action-title-0")) > 10, "the action's title field is too narrow to type in");
        var save = Page.GetByTestId("record-save");
        await save.ScrollIntoViewIfNeededAsync();
        await ExpectWithinScreenAsync(save);
        await save.ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(Page.Locator(".ka-visit-row").Filter(new() { HasText = purpose })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Calendar_OnAPhone_ShowsAnAgendaWithWholeEntries()
    {
        var (account, visitId, purpose) = await PlannedVisitAsync(0);
        await UsePhoneAsync();
        await SignInAsync("rep", returnUrl: "/calendar");
        await Expect(Page.GetByTestId("calendar-agenda")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("calendar-month")).ToHaveCountAsync(0);
        var entry = Page.GetByTestId($"calendar-visit-{visitId}");
        await Expect(entry).ToBeVisibleAsync();
        // The whole text is shown, not cut to "业务 · …".
        var shown = await entry.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth");
        Assert.True(shown, "the calendar entry is cut off");
        await Expect(entry).ToContainTextAsync(account.Name);
        await Expect(entry).ToContainTextAsync(purpose);
        Assert.True(await WidthInCharactersAsync(entry) > 15, "the calendar entry is squeezed");
        Assert.True(await FitsWidthAsync(Page), "the calendar scrolls sideways");
    }

    [Fact]
    public async Task FollowUpLog_OnAPhone_OpensFullScreenAndLogs()
    {
        var (account, _, _) = await PlannedVisitAsync(1);
        await UsePhoneAsync();
        await SignInAsync("rep", returnUrl: $"/accounts/{account.Id}");
        await Page.GetByTestId("tab-visits").ClickAsync();
        await Page.GetByTestId("timeline-follow-up").ClickAsync();
        await Expect(Page.GetByTestId("follow-up-save")).ToBeVisibleAsync();
        // The dialog may still be opening: wait until it has its full width, then check it.
        // Every dialog on the page is checked, polling until they fill the width (a timeout here: the form stays a box).
        await Page.WaitForFunctionAsync(FillsTheWidth, Phone.Width - 1);
        var summary = AppServer.Unique("电话沟通交期");
        await Field(Page, "follow-up-summary").FillAsync(summary);
        var save = Page.GetByTestId("follow-up-save");
        await ExpectWithinScreenAsync(save);
        await save.ClickAsync();
        var item = Page.GetByTestId("timeline-item").Filter(new() { HasText = summary });
        await Expect(item).ToBeVisibleAsync();
        Assert.True(await WidthInCharactersAsync(item) > 10, "the follow-up log is squeezed");
        var fits = await item.EvaluateAsync<bool>("e => e.getBoundingClientRect().right <= document.documentElement.clientWidth");
        Assert.True(fits, "the follow-up log runs off the screen");
    }
}
