using System.Net;
using System.Text.Json;
using KeyAccounts.Features.Audit;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Surveys;

[Collection(AppCollection.Name)]
public sealed class SurveyTemplatesApiTests(TestApp app)
{
    private static object[] ThreeQuestions => [new { kind = "Csat", text = "产品质量满意度" }, new { kind = "Nps", text = "推荐意愿" }, new { kind = "Text", text = "其他建议" }];

    private async Task<JsonElement> CreateAsync(string? name = null)
    {
        using var manager = await app.ClientAsync("manager");
        return await (await manager.PostJsonAsync("/api/v1/surveys/templates", new { name = name ?? TestApp.Unique("模板"), questions = ThreeQuestions }))
            .ExpectAsync(HttpStatusCode.Created);
    }

    private static long[] QuestionIds(JsonElement template) => [.. template.GetProperty("questions").EnumerateArray().Select(q => q.GetProperty("id").GetInt64())];

    private async Task<(long Account, string Url)> SendAsync(long template)
    {
        var account = await app.AccountAsync("rep");
        var contact = await app.ContactAsync("rep", account);
        using var rep = await app.ClientAsync("rep");
        var body = await (await rep.PostJsonAsync($"/api/v1/accounts/{account}/surveys", new { templateId = template, contactIds = new[] { contact } })).ExpectAsync(HttpStatusCode.Created);
        return (account, body.GetProperty("links")[0].GetProperty("url").GetString()!);
    }

    private static string Api(string url) => "/api/v1/public/surveys/" + url["/s/".Length..];

    [Fact]
    public async Task Update_AfterSending_SentSurveyKeepsItsQuestionsAndItsAnswersStayWithThem()
    {
        var created = await CreateAsync();
        var id = created.GetProperty("id").GetInt64();
        var q = QuestionIds(created);
        var (account, oldUrl) = await SendAsync(id);
        using var manager = await app.ClientAsync("manager");

        var updated = await (await manager.PutJsonAsync($"/api/v1/surveys/templates/{id}", new
        {
            name = TestApp.Unique("改版模板"),
            version = 1,
            questions = new object[]
            {
                new { id = q[1], kind = "Nps", text = "推荐意愿" },
                new { id = q[0], kind = "Csat", text = "交付及时性满意度" },
                new { kind = "Csat", text = "服务响应满意度" },
            },
        })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        Assert.Equal(["推荐意愿", "交付及时性满意度", "服务响应满意度"], updated.GetProperty("questions").EnumerateArray().Select(x => x.GetProperty("text").GetString()));
        Assert.Empty(QuestionIds(updated).Intersect(q));
        using var anonymous = app.CreateClient();
        var oldForm = await (await anonymous.GetAsync(Api(oldUrl))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(q, QuestionIds(oldForm));
        Assert.Equal(["产品质量满意度", "推荐意愿", "其他建议"], oldForm.GetProperty("questions").EnumerateArray().Select(x => x.GetProperty("text").GetString()));
        await (await anonymous.PostJsonAsync(Api(oldUrl), new
        {
            answers = new object[] { new { questionId = q[0], score = 5 }, new { questionId = q[1], score = 10 }, new { questionId = q[2], text = "很好" } },
        })).ExpectAsync(HttpStatusCode.NoContent);
        var (_, newUrl) = await SendAsync(id);
        var newForm = await (await anonymous.GetAsync(Api(newUrl))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(QuestionIds(updated), QuestionIds(newForm));

        await using var db = app.Db();
        var answered = await db.SurveyAnswers.Join(db.SurveyResponses.Where(r => r.AccountId == account), a => a.ResponseId, r => r.Id, (a, r) => a.QuestionId).ToListAsync();
        Assert.Equal(q.Order(), answered.Order());
        Assert.Equal(["产品质量满意度", "推荐意愿", "其他建议"], await db.SurveyQuestions.Where(x => q.Contains(x.Id)).OrderBy(x => x.Order).Select(x => x.Text).ToListAsync());
        Assert.True(await db.SurveyQuestions.Where(x => q.Contains(x.Id)).AllAsync(x => x.ToVersion == 2));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Entity == "SurveyTemplate" && a.EntityKey == updated.GetProperty("name").GetString() && a.Action == AuditAction.Updated));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Entity == "SurveyQuestion" && a.EntityKey.StartsWith($"{id}:")));
    }

    [Fact]
    public async Task Update_NeverSent_ChangesQuestionsInPlaceAndDropsRemovedOnes()
    {
        var created = await CreateAsync();
        var id = created.GetProperty("id").GetInt64();
        var q = QuestionIds(created);
        using var manager = await app.ClientAsync("manager");

        var updated = await (await manager.PutJsonAsync($"/api/v1/surveys/templates/{id}", new
        {
            name = created.GetProperty("name").GetString(),
            questions = new object[] { new { id = q[0], kind = "Csat", text = "改过的问题" }, new { id = q[2], kind = "Text", text = "其他建议" } },
        })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([q[0], q[2]], QuestionIds(updated));
        await using var db = app.Db();
        Assert.Equal(2, await db.SurveyQuestions.CountAsync(x => x.TemplateId == id));
    }

    [Fact]
    public async Task Update_BadInput_FieldErrorsAndNothingChanged()
    {
        var created = await CreateAsync();
        var id = created.GetProperty("id").GetInt64();
        var q = QuestionIds(created);
        var other = await CreateAsync();
        using var manager = await app.ClientAsync("manager");

        var empty = await (await manager.PutJsonAsync($"/api/v1/surveys/templates/{id}", new { name = " ", questions = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.BadRequest);
        var errors = empty.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("questions", out _));
        var duplicate = await (await manager.PutJsonAsync($"/api/v1/surveys/templates/{id}", new
        {
            name = other.GetProperty("name").GetString(),
            questions = new object[] { new { id = 999_999_999L, kind = "Csat", text = "同一个问题" }, new { kind = "Nps", text = "同一个问题" }, new { kind = (string?)null, text = "" } },
        })).ExpectAsync(HttpStatusCode.BadRequest);
        errors = duplicate.GetProperty("errors");
        foreach (var field in new[] { "name", "questions[0].id", "questions[1].text", "questions[2].kind", "questions[2].text" })
            Assert.True(errors.TryGetProperty(field, out _), field);

        using var rep = await app.ClientAsync("rep");
        var unchanged = await (await rep.GetAsync($"/api/v1/surveys/templates/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, unchanged.GetProperty("version").GetInt32());
        Assert.Equal(q, QuestionIds(unchanged));
    }

    [Fact]
    public async Task UpdateAndRetire_AccessStaleVersionAndRetiredTemplate_Refused()
    {
        var created = await CreateAsync();
        var id = created.GetProperty("id").GetInt64();
        var (_, url) = await SendAsync(id);
        using var manager = await app.ClientAsync("manager");
        using var rep = await app.ClientAsync("rep");
        var request = new { name = created.GetProperty("name").GetString(), version = 1, questions = ThreeQuestions };

        await (await rep.PutJsonAsync($"/api/v1/surveys/templates/{id}", request)).ExpectAsync(HttpStatusCode.Forbidden);
        await (await rep.PostAsync($"/api/v1/surveys/templates/{id}/retire", null)).ExpectAsync(HttpStatusCode.Forbidden);
        await (await manager.PutJsonAsync("/api/v1/surveys/templates/999999999", request)).ExpectAsync(HttpStatusCode.NotFound);
        await (await manager.PostAsync("/api/v1/surveys/templates/999999999/retire", null)).ExpectAsync(HttpStatusCode.NotFound);
        await (await rep.GetAsync("/api/v1/surveys/templates/999999999")).ExpectAsync(HttpStatusCode.NotFound);
        await (await manager.PutJsonAsync($"/api/v1/surveys/templates/{id}", request)).ExpectAsync(HttpStatusCode.OK);
        await (await manager.PutJsonAsync($"/api/v1/surveys/templates/{id}", request)).ExpectAsync(HttpStatusCode.PreconditionFailed);

        var retired = await (await manager.PostAsync($"/api/v1/surveys/templates/{id}/retire", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.NotEqual(JsonValueKind.Null, retired.GetProperty("retiredAt").ValueKind);
        await (await manager.PostAsync($"/api/v1/surveys/templates/{id}/retire", null)).ExpectAsync(HttpStatusCode.Conflict);
        await (await manager.PutJsonAsync($"/api/v1/surveys/templates/{id}", request with { version = retired.GetProperty("version").GetInt32() })).ExpectAsync(HttpStatusCode.Conflict);
        var account = await app.AccountAsync("rep");
        var contact = await app.ContactAsync("rep", account);
        var send = await (await rep.PostJsonAsync($"/api/v1/accounts/{account}/surveys", new { templateId = id, contactIds = new[] { contact } })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(send.GetProperty("errors").TryGetProperty("templateId", out _));
        using var anonymous = app.CreateClient();
        await (await anonymous.GetAsync(Api(url))).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task List_NameFilterAndRetired_PagedOnTheServer()
    {
        var stem = TestApp.Unique("列表");
        var first = await CreateAsync(stem + "甲");
        await CreateAsync(stem + "乙");
        using var manager = await app.ClientAsync("manager");
        await (await manager.PostAsync($"/api/v1/surveys/templates/{first.GetProperty("id").GetInt64()}/retire", null)).ExpectAsync(HttpStatusCode.OK);
        using var rep = await app.ClientAsync("rep");

        var all = await (await rep.GetAsync($"/api/v1/surveys/templates?q={Uri.EscapeDataString(stem)}&pageSize=1")).ExpectAsync(HttpStatusCode.OK);
        var inUse = await (await rep.GetAsync($"/api/v1/surveys/templates?q={Uri.EscapeDataString(stem)}&retired=false")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.Equal(1, all.GetProperty("items").GetArrayLength());
        Assert.Equal(stem + "乙", inUse.GetProperty("items").EnumerateArray().Single().GetProperty("name").GetString());
    }
}
