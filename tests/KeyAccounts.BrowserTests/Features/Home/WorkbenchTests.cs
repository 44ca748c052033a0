using System.Net;
using System.Text.RegularExpressions;
using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Home;

/// <summary>An app of its own: the leader's blocks list the whole company, which in the shared app holds every other test's accounts.</summary>
[CollectionDefinition(Name)]
public sealed class WorkbenchAppCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser-workbench-app";
}

[Collection(WorkbenchAppCollection.Name)]
public sealed partial class WorkbenchTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

    /// <summary>A resource key shown as such (Tier.Key, Severity.Critical, Approval.EvaluationRun …) instead of its text.</summary>
    [GeneratedRegex(@"\b(Tier|Level|Method|Severity|Status|Approval|Entity|Action)\.[A-Z][A-Za-z]+")]
    private static partial Regex RawKey();

    private async Task AssertNoRawKeysAsync(IPage page)
    {
        var text = await page.GetByTestId("home").InnerTextAsync();
        Assert.False(RawKey().IsMatch(text), $"the home page shows a resource key: {RawKey().Match(text).Value}");
    }

    [Fact]
    public async Task Workbench_Rep_SeesTheirTasksVisitsContactsAndComplaintsInBothLanguages()
    {
        var rep = AppServer.Unique("wbrep").ToLowerInvariant();
        var repId = await App.CreateUserAsync(rep, ["Rep"], App.EastTeamId);
        var account = await App.CreateAccountAsync("admin", fields: new { ownerId = repId, tier = "Key" });
        var contact = (await App.PostAsync("admin", $"/api/v1/accounts/{account.Id}/contacts", new { name = "赵红梅" })).GetProperty("id").GetInt64();
        await App.PostAsync(rep, "/api/v1/tasks", new { accountId = account.Id, title = "提交年度报价单", dueOn = Today });
        await App.PostAsync(rep, "/api/v1/visits", new { accountId = account.Id, level = "Technical", plannedOn = Today, purpose = "设备运行情况回访", contactIds = new[] { contact } });
        await App.PostAsync(rep, "/api/v1/follow-ups", new { accountId = account.Id, method = "Call", summary = "电话确认交期", nextContactOn = Today, contactIds = new[] { contact } });
        // A critical complaint at a key account must be resolved within hours: it is near its deadline at once.
        await App.PostAsync(rep, "/api/v1/complaints", new { accountId = account.Id, contactId = contact, category = "Quality", severity = "Critical", description = "减速机齿轮断齿" });

        await SignInAsync(rep);
        await Expect(Page.GetByTestId("home-page")).ToHaveTextAsync("工作台");
        await Expect(Page.GetByTestId("home-due-tasks")).ToContainTextAsync("提交年度报价单");
        await Expect(Page.GetByTestId("home-due-tasks-count")).ToHaveTextAsync("1");
        await Expect(Page.GetByTestId("home-visits-week")).ToContainTextAsync(account.Name);
        await Expect(Page.GetByTestId("home-visits-week")).ToContainTextAsync("技术层");
        await Expect(Page.GetByTestId("home-contacts-due")).ToContainTextAsync(account.Name);
        await Expect(Page.GetByTestId("home-complaints-due")).ToContainTextAsync("紧急");
        await Expect(Page.GetByTestId("home-overdue-tasks-empty")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("home-approvals")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("home-team-overdue-tasks")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("home-tier-Key").GetByTestId("home-tier-count")).ToHaveTextAsync("1");
        await AssertNoRawKeysAsync(Page);

        await Page.GetByTestId("home-contacts-due-more").ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/visits");
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("contact-today-table")).ToContainTextAsync(account.Name);
        await GotoAsync("/");
        await Page.GetByTestId("home-visits-week").GetByRole(AriaRole.Link, new() { Name = account.Name }).ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/visits/", StringComparison.Ordinal));

        var english = await NewPageAsync(locale: "en");
        await SignInAsync(rep, on: english);
        await Expect(english.GetByTestId("home-page")).ToHaveTextAsync("Work-bench");
        await Expect(english.GetByTestId("home-mine")).ToContainTextAsync("Tasks due this week");
        await Expect(english.GetByTestId("home-visits-week")).ToContainTextAsync("Technical");
        await Expect(english.GetByTestId("home-complaints-due")).ToContainTextAsync("Critical");
        await Expect(english.GetByTestId("home-tier-Key")).ToContainTextAsync("Key");
        await AssertNoRawKeysAsync(english);
    }

    [Fact]
    public async Task Workbench_Leader_SeesTheRunToApproveAndTheCompanysGapsInBothLanguages()
    {
        var neglected = await App.CreateAccountAsync("admin", fields: new { ownerId = App.UserIds["rep2"], tier = "Key" });
        var year = DateTime.UtcNow.Year - 1;
        // A run needs transactions in its period.
        await App.PostAsync("admin", "/api/v1/transactions/orders", new
        {
            items = new[] { new { orderNo = AppServer.Unique("SO"), accountCode = neglected.Code, orderDate = $"{year}-06-01", productCode = "P-WB", productName = "齿轮箱", quantity = 2, unitPrice = 50_000, unitCost = 30_000, line = 1 } },
        }, HttpStatusCode.OK);
        var run = await App.PostAsync("leader", "/api/v1/evaluation/runs", new { periodStart = $"{year}-01-01", periodEnd = $"{year}-12-31" });
        var runId = run.GetProperty("id").GetInt64();

        await SignInAsync("leader");
        var approvals = Page.GetByTestId("home-approvals");
        await Expect(approvals).ToContainTextAsync("评价结果待发布");
        await Expect(approvals.GetByRole(AriaRole.Link, new() { Name = "评价结果待发布" })).ToHaveAttributeAsync("href", $"/evaluation/runs/{runId}");
        await Expect(Page.GetByTestId("home-team-not-visited")).ToContainTextAsync(neglected.Name);
        await Expect(Page.GetByTestId("home-team-not-visited")).ToContainTextAsync("从未拜访");
        await Expect(Page.GetByTestId("home-book-title")).ToContainTextAsync("全部客户");
        await AssertNoRawKeysAsync(Page);

        var english = await NewPageAsync(locale: "en");
        await SignInAsync("leader", on: english);
        await Expect(english.GetByTestId("home-approvals")).ToContainTextAsync("Evaluation run to publish");
        await Expect(english.GetByTestId("home-team-not-visited")).ToContainTextAsync("Never visited");
        await Expect(english.GetByTestId("home-book-title")).ToContainTextAsync("All accounts");
        await AssertNoRawKeysAsync(english);
    }
}
