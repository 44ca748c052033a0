using System.Net;
using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Visits;

public sealed class VisitPagesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task PlanAndRecordVisit_WithAnAction_ShowsTheTaskAndMovesTheCoverageBoard()
    {
        var account = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep"], tier = "Key" });
        await App.PostAsync("admin", $"/api/v1/accounts/{account.Id}/contacts", new { name = "周总", title = "总经理" });
        var action = AppServer.Unique("寄送方案");
        await SignInAsync("rep", returnUrl: "/visits/coverage");
        var business = Page.GetByTestId($"coverage-{account.Id}-Business");
        await Expect(business).ToHaveTextAsync("0 / 3");

        await GotoAsync($"/accounts/{account.Id}");
        await Page.GetByTestId("tab-visits").ClickAsync();
        await Page.GetByTestId("timeline-plan").ClickAsync();
        await Field(Page, "plan-purpose").FillAsync("季度业务回顾");
        await Page.GetByTestId("plan-save").ClickAsync();
        await Page.GetByTestId("timeline-item").GetByRole(AriaRole.Link, new() { Name = "季度业务回顾" }).ClickAsync();
        await WaitForInteractiveAsync(Page);

        await Page.GetByTestId("visit-record").ClickAsync();
        await Field(Page, "record-findings").FillAsync("客户计划扩产，需要新的监测方案");
        await Page.GetByTestId("record-add-action").ClickAsync();
        await Field(Page, "record-action-title-0").FillAsync(action);
        await Page.GetByTestId("record-save").ClickAsync();
        await Expect(Page.GetByTestId("visit-status")).ToHaveTextAsync("已完成");
        await Expect(Page.GetByTestId("visit-tasks")).ToContainTextAsync(action);

        await GotoAsync("/tasks");
        await Expect(Page.GetByTestId("tasks-table")).ToContainTextAsync(action);

        await GotoAsync("/visits/coverage");
        await Expect(business).ToHaveTextAsync("1 / 3");

        using var client = await App.ClientAsync("rep");
        var tasks = await AppServer.ExpectAsync(await client.GetAsync($"/api/v1/tasks?accountId={account.Id}"), HttpStatusCode.OK);
        Assert.Equal(action, tasks.GetProperty("items")[0].GetProperty("title").GetString());
    }
}
