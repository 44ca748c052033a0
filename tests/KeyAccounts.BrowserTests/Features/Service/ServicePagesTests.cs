using System.Net;
using System.Net.Http.Json;
using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Service;

public sealed class ServicePagesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private async Task<(long Account, long Contact)> AccountWithContactAsync(string owner)
    {
        var account = await App.CreateAccountAsync(owner);
        var contact = await App.PostAsync(owner, $"/api/v1/accounts/{account.Id}/contacts", new { name = "刘" + AppServer.Unique("")[..4] });
        return (account.Id, contact.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task AnswerSurvey_ThroughItsPublicLinkWithoutSigningIn_ThanksThenShowsTheLinkIsUsed()
    {
        var (account, contact) = await AccountWithContactAsync("rep");
        var template = await App.PostAsync("manager", "/api/v1/surveys/templates", new
        {
            name = "季度满意度",
            questions = new object[] { new { kind = "Csat", text = "产品质量" }, new { kind = "Nps", text = "推荐意愿" }, new { kind = "Text", text = "建议" } },
        });
        var sent = await App.PostAsync("rep", $"/api/v1/accounts/{account}/surveys", new { templateId = template.GetProperty("id").GetInt64(), contactIds = new[] { contact } });
        var url = sent.GetProperty("links")[0].GetProperty("url").GetString()!;

        await Page.GotoAsync(new Uri(App.BaseUrl, url).ToString());
        await Page.GetByTestId("answer-1-4").CheckAsync();
        await Page.GetByTestId("survey-submit").ClickAsync();
        await Expect(Page.GetByTestId("error-2")).ToBeVisibleAsync();
        await Page.GetByTestId("answer-1-4").CheckAsync();
        await Page.GetByTestId("answer-2-9").CheckAsync();
        await Page.GetByTestId("answer-3").FillAsync("交期再快一点");
        await Page.GetByTestId("survey-submit").ClickAsync();
        await Expect(Page.GetByTestId("survey-thanks")).ToBeVisibleAsync();

        await Page.GotoAsync(new Uri(App.BaseUrl, url).ToString());
        await Expect(Page.GetByTestId("survey-used")).ToBeVisibleAsync();
        using var rep = await App.ClientAsync("rep");
        var results = await AppServer.ExpectAsync(await rep.GetAsync($"/api/v1/surveys/results?accountId={account}"), HttpStatusCode.OK);
        Assert.Equal(100, results.GetProperty("nps").GetDouble());
        Assert.Equal(4, results.GetProperty("csat").GetDouble());
    }

    [Fact]
    public async Task Complaint_EscalatedToTheManagerThroughTheInbox_IsResolvedAndConfirmed()
    {
        var managerName = AppServer.Unique("mgr").ToLowerInvariant();
        var repName = AppServer.Unique("rep").ToLowerInvariant();
        var team = await App.CreateDepartmentAsync(AppServer.Unique("服务部"), App.CompanyId);
        var managerId = await App.CreateUserAsync(managerName, ["Manager"], team);
        await App.CreateUserAsync(repName, ["Rep"], team);
        using (var admin = await App.ClientAsync("admin"))
            await AppServer.ExpectAsync(await admin.PutAsJsonAsync($"/api/v1/departments/{team}", new { name = "服务部" + team, parentId = App.CompanyId, headUserId = managerId }), HttpStatusCode.NoContent);
        var (account, contact) = await AccountWithContactAsync(repName);
        var complaint = await App.PostAsync(repName, "/api/v1/complaints", new { accountId = account, contactId = contact, category = "Quality", severity = "High", description = "齿轮箱漏油" });
        var id = complaint.GetProperty("id").GetInt64();

        await SignInAsync(repName, returnUrl: $"/complaints/{id}");
        await WaitForInteractiveAsync(Page);
        await Page.GetByTestId("move-Acknowledged").ClickAsync();
        await Expect(Page.GetByTestId("complaint-status")).ToContainTextAsync("已受理");
        await Page.GetByTestId("complaint-escalate").ClickAsync();
        await Expect(Page.GetByTestId("complaint-escalated")).ToBeVisibleAsync();

        var manager = await NewPageAsync();
        await SignInAsync(managerName, on: manager);
        await Expect(manager.GetByTestId("inbox-badge")).ToHaveAttributeAsync("data-count", "1");
        await GotoAsync("/notifications", manager);
        await Expect(manager.GetByTestId("inbox-item").First).ToContainTextAsync($"#{id}");
        await ClickToNavigateAsync(manager.GetByTestId("inbox-open").First, manager, $"/complaints/{id}");
        await Expect(manager.GetByTestId("inbox-badge")).ToHaveAttributeAsync("data-count", "0");
        await manager.GetByTestId("move-Investigating").ClickAsync();
        await Expect(manager.GetByTestId("complaint-status")).ToContainTextAsync("调查中");
        await Field(manager, "complaint-root-cause-input").FillAsync("密封圈批次老化");
        await Field(manager, "complaint-resolution-input").FillAsync("更换密封圈并延长质保");
        await manager.GetByTestId("move-Resolved").ClickAsync();
        await Expect(manager.GetByTestId("complaint-status")).ToContainTextAsync("已解决");
        await manager.GetByTestId("move-Confirmed").ClickAsync();
        await Expect(manager.GetByTestId("complaint-status")).ToContainTextAsync("客户已确认");
        // Escalated by hand, not by the deadline job.
        await Expect(manager.GetByTestId("complaint-timeline")).ToContainTextAsync("手动升级");

        using var client = await App.ClientAsync(managerName);
        var body = await AppServer.ExpectAsync(await client.GetAsync($"/api/v1/complaints/{id}"), HttpStatusCode.OK);
        Assert.Equal("密封圈批次老化", body.GetProperty("complaint").GetProperty("rootCause").GetString());
    }
}
