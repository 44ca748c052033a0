using System.Net;
using System.Text.RegularExpressions;
using KeyAccounts.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Service;

public sealed class ServiceAdminPagesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private async Task<(long Account, string ContactName)> AccountWithContactAsync(object? fields = null)
    {
        var account = await App.CreateAccountAsync(fields is null ? "rep" : "manager", fields: fields);
        var name = "周" + AppServer.Unique("")[..4];
        await App.PostAsync("rep", $"/api/v1/accounts/{account.Id}/contacts", new { name });
        return (account.Id, name);
    }

    [Fact]
    public async Task SurveyTemplate_CreatedAndEditedInTheBrowser_IsSentAndAnsweredThroughItsLink()
    {
        var (account, contactName) = await AccountWithContactAsync();
        var templateName = "年度回访" + AppServer.Unique("")[..4];

        await SignInAsync("manager", returnUrl: "/surveys");
        await Page.GetByTestId("satisfaction-templates").ClickAsync();
        await Page.WaitForURLAsync("**/surveys/templates");
        await WaitForInteractiveAsync(Page);
        await Page.GetByTestId("template-new").ClickAsync();
        await Page.WaitForURLAsync("**/surveys/templates/new");
        await WaitForInteractiveAsync(Page);
        await Field(Page, "template-name").FillAsync(templateName);
        await Page.GetByTestId("question-add-Csat").ClickAsync();
        await Page.GetByTestId("question-add-Nps").ClickAsync();
        await Page.GetByTestId("question-add-Text").ClickAsync();
        await Field(Page, "question-text-1").FillAsync("产品质量满意度");
        await Field(Page, "question-text-2").FillAsync("推荐我们的可能性");
        await Field(Page, "question-text-3").FillAsync("其他建议");
        await Page.GetByTestId("template-save").ClickAsync();
        // The saved template's page is reached by the circuit (no new document): wait for the address, not for a load event.
        await Page.WaitForURLAsync(new Regex(@"/surveys/templates/\d+$"), new() { WaitUntil = Microsoft.Playwright.WaitUntilState.Commit });
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("template-version")).ToContainTextAsync("1");

        await Field(Page, "question-text-1").FillAsync("产品质量与交付满意度");
        await Page.GetByTestId("question-up-3").ClickAsync();
        await Expect(Field(Page, "question-text-2")).ToHaveValueAsync("其他建议");
        await Page.GetByTestId("template-save").ClickAsync();
        await Expect(Page.GetByTestId("template-version")).ToContainTextAsync("2");
        await GotoAsync("/surveys/templates");
        await Expect(Page.GetByTestId("template-list")).ToContainTextAsync(templateName);

        var rep = await NewPageAsync();
        await SignInAsync("rep", on: rep, returnUrl: $"/accounts/{account}");
        await rep.GetByTestId("tab-service").ClickAsync();
        await SelectAsync(rep, "survey-template", templateName);
        await SelectAsync(rep, "survey-contacts", contactName);
        await rep.GetByTestId("survey-send").ClickAsync();
        var link = await rep.GetByTestId("survey-link").Locator("code").First.InnerTextAsync();
        Assert.Contains("/s/", link);

        var contact = await NewPageAsync();
        await contact.GotoAsync(link);
        await Expect(contact.GetByTestId("question-1")).ToContainTextAsync("产品质量与交付满意度");
        await Expect(contact.GetByTestId("question-2")).ToContainTextAsync("其他建议");
        await contact.GetByTestId("answer-1-5").CheckAsync();
        await contact.GetByTestId("answer-2").FillAsync("包装可以再结实些");
        await contact.GetByTestId("answer-3-9").CheckAsync();
        await contact.GetByTestId("survey-submit").ClickAsync();
        await Expect(contact.GetByTestId("survey-thanks")).ToBeVisibleAsync();

        using var client = await App.ClientAsync("rep");
        var results = await AppServer.ExpectAsync(await client.GetAsync($"/api/v1/surveys/results?accountId={account}"), HttpStatusCode.OK);
        Assert.Equal(5, results.GetProperty("csat").GetDouble());
        Assert.Equal(100, results.GetProperty("nps").GetDouble());
        var responses = await AppServer.ExpectAsync(await client.GetAsync($"/api/v1/accounts/{account}/survey-responses"), HttpStatusCode.OK);
        Assert.Equal("包装可以再结实些", responses.GetProperty("items")[0].GetProperty("comment").GetString());
    }

    [Fact]
    public async Task ComplaintDeadline_ChangedOnTheAdminPage_NewComplaintIsDueByTheNewValue()
    {
        var (account, contactName) = await AccountWithContactAsync(new { ownerId = App.UserIds["rep"], tier = "Major" });

        await SignInAsync("admin");
        await Page.GetByTestId("nav-complaint-deadlines").ClickAsync();
        await Page.WaitForURLAsync("**/admin/complaint-deadlines");
        await WaitForInteractiveAsync(Page);
        await Field(Page, "deadline-Critical-Major").FillAsync("100");
        await Page.GetByTestId("deadlines-save").ClickAsync();
        await Expect(Page.GetByTestId("deadline-grid")).ToContainTextAsync("更严重投诉的时限不能长于较轻的投诉");
        await Field(Page, "deadline-Critical-Major").FillAsync("8");
        await Field(Page, "deadline-High-Major").FillAsync("30");
        await Page.GetByTestId("deadlines-save").ClickAsync();
        await Expect(Page.Locator(".mud-snackbar").Filter(new() { HasText = "时限已保存" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("deadline-grid")).Not.ToContainTextAsync("更严重投诉的时限不能长于较轻的投诉");

        var rep = await NewPageAsync();
        await SignInAsync("rep", on: rep, returnUrl: $"/accounts/{account}");
        await rep.GetByTestId("tab-service").ClickAsync();
        await SelectAsync(rep, "complaint-contact", contactName);
        await SelectAsync(rep, "complaint-category", "质量");
        await SelectAsync(rep, "complaint-severity", "高");
        await Field(rep, "complaint-description-input").FillAsync("来料尺寸超差");
        await rep.GetByTestId("complaint-create").ClickAsync();
        await rep.WaitForURLAsync(new Regex(@"/complaints/\d+$"));

        using var client = await App.ClientAsync("rep");
        var list = await AppServer.ExpectAsync(await client.GetAsync($"/api/v1/complaints?accountId={account}"), HttpStatusCode.OK);
        var complaint = list.GetProperty("items")[0];
        Assert.Equal(complaint.GetProperty("createdAt").GetDateTime().AddHours(30), complaint.GetProperty("dueAt").GetDateTime());
        Assert.EndsWith($"/complaints/{complaint.GetProperty("id").GetInt64()}", rep.Url);
        await Expect(rep.GetByTestId("complaint-due")).ToContainTextAsync(complaint.GetProperty("dueAt").GetDateTime().ToLocalTime().ToString("yyyy-MM-dd HH:mm"));
    }

    [Fact]
    public async Task RobotSettings_SavedWithASecret_PageShowsOnlyAHintAndBlankKeepsIt()
    {
        const string token = "7f3e9c1aSECRETHOOK";
        const string secret = "SECfeishuBrowser4321";
        await SignInAsync("admin", returnUrl: "/admin/notifications");
        await Field(Page, "url-SurveyAnswered-Feishu").FillAsync("https://open.feishu.cn/open-apis/bot/v2/hook/" + token);
        await Field(Page, "secret-SurveyAnswered-Feishu").FillAsync(secret);
        await Page.GetByTestId("channels-save").ClickAsync();
        await Expect(Page.Locator(".mud-snackbar").Filter(new() { HasText = "已保存" })).ToBeVisibleAsync();

        await GotoAsync("/admin/notifications");
        await Expect(Field(Page, "secret-SurveyAnswered-Feishu")).ToHaveAttributeAsync("placeholder", new Regex("••••4321"));
        await Expect(Field(Page, "url-SurveyAnswered-Feishu")).ToHaveAttributeAsync("placeholder", new Regex("open.feishu.cn/••••HOOK"));
        await Expect(Field(Page, "secret-SurveyAnswered-Feishu")).ToHaveValueAsync("");
        Assert.DoesNotContain(token, await Page.ContentAsync());
        Assert.DoesNotContain(secret, await Page.ContentAsync());
        await Field(Page, "on-SurveyAnswered-Feishu").CheckAsync(new() { Force = true });
        await Page.GetByTestId("channels-save").ClickAsync();
        await Expect(Page.Locator(".mud-snackbar").Filter(new() { HasText = "已保存" }).First).ToBeVisibleAsync();

        using var admin = await App.ClientAsync("admin");
        var response = await admin.GetAsync("/api/v1/notifications/settings");
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, text);
        var row = System.Text.Json.JsonDocument.Parse(text).RootElement.EnumerateArray()
            .Single(s => s.GetProperty("event").GetString() == "SurveyAnswered" && s.GetProperty("channel").GetString() == "Feishu");
        Assert.True(row.GetProperty("enabled").GetBoolean());
        Assert.Equal("••••4321", row.GetProperty("secretHint").GetString());
    }
}
