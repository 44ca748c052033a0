using System.Net;
using System.Text.Json;
using KeyAccounts.Features.Audit;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Surveys;

[Collection(AppCollection.Name)]
public sealed class SurveysApiTests(TestApp app)
{
    private async Task<(long Template, long[] Questions)> TemplateAsync()
    {
        using var manager = await app.ClientAsync("manager");
        var body = await (await manager.PostJsonAsync("/api/v1/surveys/templates", new
        {
            name = "年度满意度 " + TestApp.Unique(""),
            questions = new object[]
            {
                new { kind = "Csat", text = "产品质量满意度" },
                new { kind = "Nps", text = "您向同行推荐我们的可能性" },
                new { kind = "Text", text = "其他建议" },
            },
        })).ExpectAsync(HttpStatusCode.Created);
        return (body.GetProperty("id").GetInt64(), [.. body.GetProperty("questions").EnumerateArray().Select(q => q.GetProperty("id").GetInt64())]);
    }

    private async Task<(long Account, string Url, long[] Questions, long Invitation)> SendAsync(string owner = "rep")
    {
        var (template, questions) = await TemplateAsync();
        var account = await app.AccountAsync(owner);
        var contact = await app.ContactAsync(owner, account);
        using var client = await app.ClientAsync(owner);
        var body = await (await client.PostJsonAsync($"/api/v1/accounts/{account}/surveys", new { templateId = template, contactIds = new[] { contact }, validDays = 7 }))
            .ExpectAsync(HttpStatusCode.Created);
        var link = body.GetProperty("links")[0];
        return (account, link.GetProperty("url").GetString()!, questions, link.GetProperty("invitationId").GetInt64());
    }

    private static string Api(string url) => "/api/v1/public/surveys/" + url["/s/".Length..];

    private static object Answers(long[] q, int csat, int nps) => new
    {
        answers = new object[] { new { questionId = q[0], score = csat }, new { questionId = q[1], score = nps }, new { questionId = q[2], text = "交期再快些" } },
    };

    [Fact]
    public async Task Answer_ThroughPublicLinkWithoutSignIn_StoresResponseNotifiesOwnerAndLinkIsSpent()
    {
        var (account, url, q, invitation) = await SendAsync();
        using var anonymous = app.CreateClient();

        var form = await (await anonymous.GetAsync(Api(url))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, form.GetProperty("questions").GetArrayLength());
        await (await anonymous.PostJsonAsync(Api(url), Answers(q, 4, 9))).ExpectAsync(HttpStatusCode.NoContent);

        var replay = await (await anonymous.PostJsonAsync(Api(url), Answers(q, 1, 0))).ExpectAsync(HttpStatusCode.Gone);
        Assert.Contains("already been used", replay.GetProperty("title").GetString());
        await (await anonymous.GetAsync(Api(url))).ExpectAsync(HttpStatusCode.Gone);
        await using var db = app.Db();
        var response = await db.SurveyResponses.Include(r => r.Answers).SingleAsync(r => r.AccountId == account);
        Assert.Equal(4, response.Csat);
        Assert.Equal(9, response.Nps);
        Assert.Contains(response.Answers, a => a.Text == "交期再快些");
        Assert.True(await db.Notifications.AnyAsync(n => n.RecipientId == app.UserIds["rep"] && n.Event == NotificationEvent.SurveyAnswered && n.DedupKey == $"survey:{invitation}"));
        Assert.DoesNotContain(url["/s/".Length..], await db.SurveyInvitations.Where(i => i.Id == invitation).Select(i => i.TokenHash).FirstAsync());
    }

    [Theory]
    [InlineData(6, 9)]
    [InlineData(0, 9)]
    [InlineData(4, 11)]
    [InlineData(4, -1)]
    public async Task Answer_ScoreOutOfRange_Returns400AndWritesNothing(int csat, int nps)
    {
        var (account, url, q, invitation) = await SendAsync();
        using var anonymous = app.CreateClient();

        var body = await (await anonymous.PostJsonAsync(Api(url), Answers(q, csat, nps))).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.True(body.GetProperty("errors").EnumerateObject().Any());
        await using var db = app.Db();
        Assert.False(await db.SurveyResponses.AnyAsync(r => r.AccountId == account));
        Assert.Null(await db.SurveyInvitations.Where(i => i.Id == invitation).Select(i => i.AnsweredAt).FirstAsync());
    }

    [Fact]
    public async Task Answer_ExpiredOrUnknownLink_GoneOrNotFoundAndNothingWritten()
    {
        var (account, url, q, invitation) = await SendAsync();
        await using (var db = app.Db())
            await db.SurveyInvitations.Where(i => i.Id == invitation).ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        using var anonymous = app.CreateClient();

        var expired = await (await anonymous.PostJsonAsync(Api(url), Answers(q, 5, 10))).ExpectAsync(HttpStatusCode.Gone);
        Assert.Contains("expired", expired.GetProperty("title").GetString());
        await (await anonymous.GetAsync("/api/v1/public/surveys/not-a-real-token")).ExpectAsync(HttpStatusCode.NotFound);
        await using var check = app.Db();
        Assert.False(await check.SurveyResponses.AnyAsync(r => r.AccountId == account));
    }

    [Fact]
    public async Task PublicPage_UsedLink_ShowsAClearPage()
    {
        var (_, url, q, _) = await SendAsync();
        using var anonymous = app.CreateClient();
        Assert.Contains("data-testid=\"survey-form\"", await anonymous.GetStringAsync(url));
        await (await anonymous.PostJsonAsync(Api(url), Answers(q, 5, 10))).ExpectAsync(HttpStatusCode.NoContent);

        var html = await anonymous.GetStringAsync(url);

        Assert.Contains("data-testid=\"survey-used\"", html);
    }

    [Fact]
    public async Task Results_AccountAndTier_NpsAndCsatOverTime()
    {
        var (account, url, q, _) = await SendAsync();
        using var anonymous = app.CreateClient();
        await (await anonymous.PostJsonAsync(Api(url), Answers(q, 3, 5))).ExpectAsync(HttpStatusCode.NoContent);
        using var rep = await app.ClientAsync("rep");

        var body = await (await rep.GetAsync($"/api/v1/surveys/results?accountId={account}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, body.GetProperty("responses").GetInt32());
        Assert.Equal(3, body.GetProperty("csat").GetDouble());
        Assert.Equal(-100, body.GetProperty("nps").GetDouble());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM"), body.GetProperty("months")[0].GetProperty("month").GetString());
        var list = await (await rep.GetAsync($"/api/v1/accounts/{account}/survey-responses")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("交期再快些", list.GetProperty("items")[0].GetProperty("comment").GetString());
        using var west = await app.ClientAsync("westrep");
        await (await west.GetAsync($"/api/v1/surveys/results?accountId={account}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await west.GetAsync($"/api/v1/accounts/{account}/survey-responses")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Send_ToAContact_AuditedInTheSendersNameOnTheAccount()
    {
        var (account, _, _, invitation) = await SendAsync();

        await using var db = app.Db();
        var entry = await db.AuditEntries.SingleAsync(e => e.Entity == "SurveyInvitation" && e.AccountId == account);
        Assert.Equal(AuditAction.Created, entry.Action);
        Assert.Equal(app.UserIds["rep"], entry.UserId);
        Assert.Equal("rep", entry.UserName);
        Assert.Contains(invitation.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.EntityKey);
    }

    [Fact]
    public async Task Send_ToAContact_TheLinksTokenHashIsNotInTheAudit()
    {
        var (account, _, _, invitation) = await SendAsync();

        await using var db = app.Db();
        var hash = await db.SurveyInvitations.Where(i => i.Id == invitation).Select(i => i.TokenHash).SingleAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.Entity == "SurveyInvitation" && e.AccountId == account);
        Assert.DoesNotContain("TokenHash", entry.After);
        Assert.DoesNotContain(hash, entry.After);
    }

    [Fact]
    public async Task Send_ForeignAccountOrOtherAccountsContact_Refused()
    {
        var (template, _) = await TemplateAsync();
        var account = await app.AccountAsync("rep");
        var other = await app.ContactAsync("rep", await app.AccountAsync("rep"));
        using var rep = await app.ClientAsync("rep");
        using var west = await app.ClientAsync("westrep");

        await (await west.PostJsonAsync($"/api/v1/accounts/{account}/surveys", new { templateId = template, contactIds = new[] { other } })).ExpectAsync(HttpStatusCode.NotFound);
        var bad = await (await rep.PostJsonAsync($"/api/v1/accounts/{account}/surveys", new { templateId = template, contactIds = new[] { other } })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("contactIds", out _));
        await (await rep.PostJsonAsync("/api/v1/surveys/templates", new { name = "x", questions = new[] { new { kind = "Csat", text = "q" } } })).ExpectAsync(HttpStatusCode.Forbidden);
    }
}
