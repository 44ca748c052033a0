using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Calendar;

public sealed class CalendarPagesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task Calendar_OnAPhone_ShowsMyPlannedVisitAndFeedAddress()
    {
        var account = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep"], tier = "Key" });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var visit = await App.PostAsync("rep", "/api/v1/visits", new { accountId = account.Id, level = "Technical", plannedOn = today.ToString("yyyy-MM-dd"), purpose = "现场培训", contactIds = Array.Empty<long>() });
        await UsePhoneAsync();
        await SignInAsync("rep", returnUrl: "/calendar");
        await Expect(Page.GetByTestId($"calendar-visit-{visit.GetProperty("id").GetInt64()}")).ToBeVisibleAsync();
        await Page.GetByTestId("calendar-feed-create").ClickAsync();
        await Expect(Field(Page, "calendar-feed-url")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/ical/.+\\.ics$"));
    }
}
