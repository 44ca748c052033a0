using System.Globalization;
using System.Net;
using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Notifications;

public sealed class InboxPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>A new user with <paramref name="count"/> unread notifications: complaints on the rep's accounts handed to them.</summary>
    private async Task<string> UserWithNotificationsAsync(int count)
    {
        var userName = AppServer.Unique("inbox").ToLowerInvariant();
        var id = await App.CreateUserAsync(userName, ["Rep"], App.EastTeamId);
        for (var i = 0; i < count; i++)
        {
            var account = await App.CreateAccountAsync("rep");
            var contact = await App.PostAsync("rep", $"/api/v1/accounts/{account.Id}/contacts", new { name = "周" + AppServer.Unique("")[..4] });
            var complaint = await App.PostAsync("rep", "/api/v1/complaints",
                new { accountId = account.Id, contactId = contact.GetProperty("id").GetInt64(), category = "Delivery", severity = "Medium", description = "交期延误" });
            await App.PostAsync("rep", $"/api/v1/complaints/{complaint.GetProperty("id").GetInt64()}/assignee", new { assigneeId = id }, HttpStatusCode.OK);
        }
        return userName;
    }

    [Fact]
    public async Task Inbox_BrowserInShanghai_ShowsWhenOnItsClock()
    {
        var userName = await UserWithNotificationsAsync(1);
        using var client = await App.ClientAsync(userName);
        var inbox = await AppServer.ExpectAsync(await client.GetAsync("api/v1/notifications"), HttpStatusCode.OK);
        var createdAt = DateTime.SpecifyKind(inbox.GetProperty("items")[0].GetProperty("createdAt").GetDateTime(), DateTimeKind.Utc);

        var shanghai = await NewPageAsync(timezoneId: "Asia/Shanghai");
        await SignInAsync(userName, on: shanghai, returnUrl: "/notifications");

        await Expect(shanghai.GetByTestId("inbox-when").First)
            .ToHaveTextAsync(createdAt.AddHours(8).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        await Expect(shanghai.GetByTestId("inbox-when").First).ToHaveAttributeAsync("title", "Asia/Shanghai");
    }

    [Fact]
    public async Task Header_TwoUnreadNotifications_BadgeShowsTwoInsideTheAppBar()
    {
        var userName = await UserWithNotificationsAsync(2);

        await SignInAsync(userName);

        var badge = Page.GetByTestId("inbox-badge").Locator(".mud-badge");
        await Expect(badge).ToBeVisibleAsync();
        await Expect(badge).ToHaveTextAsync("2");
        // The badge sat above the dense app bar and was cut off: all of it lies within the bar.
        var bar = (await Page.Locator("header.mud-appbar").BoundingBoxAsync())!;
        var box = (await badge.BoundingBoxAsync())!;
        Assert.True(box.Y >= bar.Y && box.Y + box.Height <= bar.Y + bar.Height, $"badge {box.Y}–{box.Y + box.Height}, app bar {bar.Y}–{bar.Y + bar.Height}");
        Assert.True(box.Height > 0);
    }
}
