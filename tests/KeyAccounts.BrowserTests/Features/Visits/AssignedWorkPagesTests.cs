using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Visits;

/// <summary>Work reaches the people assigned to it: an engineer added to a rep's visit and given its task sees both.</summary>
public sealed class AssignedWorkPagesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task Engineer_AddedToAVisitAndGivenItsTask_SeesTheVisitAndTheTask()
    {
        var account = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep"], tier = "Key" });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var purpose = AppServer.Unique("振动诊断");
        var visit = await App.PostAsync("rep", "/api/v1/visits", new
        {
            accountId = account.Id,
            level = "Technical",
            plannedOn = today.AddDays(2).ToString("yyyy-MM-dd"),
            purpose,
            contactIds = Array.Empty<long>(),
            userIds = new[] { App.UserIds["engineer"] },
        });
        var visitId = visit.GetProperty("id").GetInt64();
        var title = AppServer.Unique("出具分析报告");
        var task = await App.PostAsync("rep", "/api/v1/tasks", new
        {
            accountId = account.Id,
            title,
            dueOn = today.AddDays(5).ToString("yyyy-MM-dd"),
            ownerId = App.UserIds["engineer"],
            visitId,
        });

        await SignInAsync("engineer", returnUrl: "/visits");
        var link = Page.GetByTestId("visit-link").Filter(new() { HasText = purpose });
        await Expect(link).ToBeVisibleAsync();
        await ClickToNavigateAsync(link, Page, $"/visits/{visitId}");
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("visit-header")).ToContainTextAsync(purpose);
        // The account's name, but not a way into its book.
        await Expect(Page.GetByTestId("visit-account")).ToContainTextAsync(account.Name);
        await Expect(Page.GetByTestId("visit-account").GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("visit-tasks")).ToContainTextAsync(title);
        await Expect(Page.GetByTestId("visit-not-found")).ToHaveCountAsync(0);

        await GotoAsync("/tasks");
        await Expect(Page.GetByTestId("tasks-table")).ToContainTextAsync(title);
        await Expect(Page.GetByTestId("tasks-table")).ToContainTextAsync(account.Name);
        await GotoAsync($"/tasks/{task.GetProperty("id").GetInt64()}");
        await Expect(Page.GetByTestId("task-page-title")).ToHaveTextAsync(title);
        await Page.GetByTestId("task-page-complete").ClickAsync();
        await Expect(Page.GetByTestId("task-page-state")).ToHaveTextAsync("已完成");

        // The inbox told the engineer of both.
        await GotoAsync("/notifications");
        await Expect(Page.Locator("body")).ToContainTextAsync($"REP 给您分派了任务：{title}");
    }

    [Fact]
    public async Task TaskOwnerPicker_ColleagueWithoutTheAccount_SaysSoAndOffersTheShare()
    {
        var account = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep"] });
        await SignInAsync("rep", returnUrl: "/tasks");
        await Page.GetByTestId("tasks-new").ClickAsync();
        var accountField = Field(Page, "task-account");
        await accountField.FillAsync(account.Code);
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = account.Code }).First.ClickAsync();
        await Field(Page, "task-owner").FillAsync("engineer");
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "engineer" }).First.ClickAsync();
        await Expect(Page.GetByTestId("task-owner-access")).ToContainTextAsync("需要共享客户才能查看客户档案");
        await Page.GetByTestId("task-owner-access-share").ClickAsync();
        await Expect(Page.GetByTestId("task-owner-access")).ToHaveCountAsync(0);

        using var engineer = await App.ClientAsync("engineer");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await engineer.GetAsync($"api/v1/accounts/{account.Id}")).StatusCode);
    }
}
