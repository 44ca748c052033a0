using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Imports;
using KeyAccounts.Tests.Features.Imports;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Accounts;

/// <summary>
/// The search by full pinyin (typing hengli finds 恒力石化) company-wide and inside books, the start-up backfill of the spelling,
/// and the near-duplicate warning of a name that differs from another only by bracketed parts, on create and on import.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AccountPinyinTests(TestApp app)
{
    private async Task<HttpResponseMessage> PostAccountAsync(string asUser, object body, string query = "")
    {
        using var client = await app.ClientAsync(asUser);
        return await client.PostJsonAsync($"/api/v1/accounts{query}", body);
    }

    private async Task<(long Id, string Code)> CreateAsync(string owner, string name)
    {
        var code = TestApp.Unique("PY");
        var body = await (await PostAccountAsync("admin", new { code, name, type = "Customer", ownerId = app.UserIds[owner] }, "?confirmDuplicate=true"))
            .ExpectAsync(HttpStatusCode.Created);
        return (body.GetProperty("id").GetInt64(), code);
    }

    private async Task<List<long>> SearchAsync(string asUser, string search)
    {
        using var client = await app.ClientAsync(asUser);
        var body = await (await client.GetAsync($"/api/v1/accounts?search={Uri.EscapeDataString(search)}&pageSize=100")).ExpectAsync(HttpStatusCode.OK);
        return body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("manager")]
    [InlineData("rep")]
    public async Task Search_ByFullPinyin_FindsTheAccountCompanyWideAndInABook(string asUser)
    {
        var token = TestApp.Unique("");
        var (id, _) = await CreateAsync("rep", $"恒力石化{token}有限公司");

        Assert.Contains(id, await SearchAsync(asUser, "hengli"));
        Assert.Contains(id, await SearchAsync(asUser, "henglish"));
        Assert.Contains(id, await SearchAsync(asUser, "HengLiShiHua"));
        Assert.Contains(id, await SearchAsync(asUser, "heng li"));
        Assert.Equal([id], await SearchAsync(asUser, $"shihua{token.ToLowerInvariant()}youxian"));
        Assert.DoesNotContain(id, await SearchAsync("westrep", "hengli"));
    }

    [Fact]
    public async Task Create_NameWithLatinLettersDigitsAndPolyphones_StoresItsSpellingsConsistently()
    {
        var token = TestApp.Unique("");
        var (id, _) = await CreateAsync("rep", $"长沙重工Abc{token}传动（集团）有限公司");

        await using var db = app.Db();
        var stored = await db.Accounts.SingleAsync(a => a.Id == id);
        Assert.Equal($"changshazhonggongabc{token.ToLowerInvariant()}chuandongjituanyouxiangongsi", stored.NamePinyin);
        Assert.Equal($"长沙重工ABC{token}传动", stored.NameCore);
        Assert.Equal([id], await SearchAsync("rep", $"gongabc{token}chuan"));
    }

    [Fact]
    public async Task Backfill_RowsWrittenBeforeTheSpelling_SpellsThemAndMakesThemSearchable()
    {
        var token = TestApp.Unique("");
        var (id, _) = await CreateAsync("rep", $"恒力石化{token}有限公司");
        var fragment = $"shihua{token.ToLowerInvariant()}";
        await using var db = app.Db();
        var version = await db.Accounts.Where(a => a.Id == id).Select(a => a.Version).SingleAsync();
        var audited = await db.AuditEntries.CountAsync();
        await db.Accounts.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.NamePinyin, (string?)null).SetProperty(a => a.NameCore, (string?)null));
        Assert.Empty(await SearchAsync("admin", fragment));

        Assert.True(await AccountSpellings.BackfillAsync(db, CancellationToken.None) >= 1);

        var stored = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal($"henglishihua{token.ToLowerInvariant()}youxiangongsi", stored.NamePinyin);
        Assert.Equal($"恒力石化{token}", stored.NameCore);
        Assert.Equal(version, stored.Version);
        Assert.Equal(audited, await db.AuditEntries.CountAsync());
        Assert.Equal([id], await SearchAsync("admin", fragment));
        Assert.False(await db.Accounts.AnyAsync(a => a.NamePinyin == null));
    }

    [Fact]
    public async Task Create_NameLikeAnotherApartFromBrackets_Returns409WithTheCandidateUntilConfirmed()
    {
        var token = TestApp.Unique("");
        var (existing, existingCode) = await CreateAsync("rep", $"恒力石化{token}有限公司");
        var code = TestApp.Unique("PY");
        var body = new { code, name = $"恒力石化{token}（大连）有限公司", type = "Customer" };

        var conflict = await (await PostAccountAsync("rep", body)).ExpectAsync(HttpStatusCode.Conflict);

        var candidate = Assert.Single(conflict.GetProperty("candidates").EnumerateArray());
        Assert.Equal(existing, candidate.GetProperty("id").GetInt64());
        Assert.Equal(existingCode, candidate.GetProperty("code").GetString());
        Assert.Equal($"恒力石化{token}有限公司", candidate.GetProperty("name").GetString());
        await using (var db = app.Db()) Assert.False(await db.Accounts.AnyAsync(a => a.Code == code));

        var created = await (await PostAccountAsync("rep", body, "?confirmDuplicate=true")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal($"恒力石化{token}（大连）有限公司", created.GetProperty("name").GetString());
        // Half-width brackets, confirmed by the request's own field; both earlier accounts are candidates.
        var halfWidth = new { code = TestApp.Unique("PY"), name = $"恒力石化{token}(苏州)有限公司", type = "Customer" };
        var second = await (await PostAccountAsync("rep", halfWidth)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, second.GetProperty("candidates").GetArrayLength());
        await (await PostAccountAsync("rep", new { halfWidth.code, halfWidth.name, halfWidth.type, confirmDuplicate = true })).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Create_NearDuplicateInAnotherBook_NamesOnlyItsOwner()
    {
        var token = TestApp.Unique("");
        await CreateAsync("westrep", $"恒力石化{token}有限公司");

        var conflict = await (await PostAccountAsync("rep", new { code = TestApp.Unique("PY"), name = $"恒力石化{token}（大连）有限公司", type = "Customer" }))
            .ExpectAsync(HttpStatusCode.Conflict);

        var candidate = Assert.Single(conflict.GetProperty("candidates").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, candidate.GetProperty("id").ValueKind);
        Assert.Equal(JsonValueKind.Null, candidate.GetProperty("name").ValueKind);
        Assert.False(string.IsNullOrEmpty(candidate.GetProperty("ownerName").GetString()));
    }

    [Fact]
    public async Task Import_NameLikeAStoredOneOrAnEarlierLine_ImportsWithAWarningOnTheLineAndColumn()
    {
        var token = TestApp.Unique("");
        await CreateAsync("rep", $"恒力石化{token}有限公司");
        var codes = new[] { TestApp.Unique("PI"), TestApp.Unique("PI"), TestApp.Unique("PI") };
        var file = ImportTestData.Csv([
            ImportTestData.AccountHeader,
            $"{codes[0]},恒力石化{token}（大连）有限公司,Customer,,,,,,",
            $"{codes[1]},南通{token}纺织有限公司,Customer,,,,,,",
            $"{codes[2]},南通{token}纺织(集团)有限公司,Customer,,,,,,",
        ], new UTF8Encoding(false), bom: false);

        using var client = await app.ClientAsync("rep");
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", "accounts.csv");
        var report = await (await client.PostAsync("/api/v1/imports/accounts", content)).ExpectAsync<ImportReport>(HttpStatusCode.OK);

        Assert.Empty(report.Errors);
        Assert.Equal(3, report.Accepted);
        Assert.Equal([(2, "name"), (4, "name")], report.Warnings.Select(w => (w.Line, w.Column)));
        Assert.Contains("Line 3", report.Warnings[1].Message);
        await using var db = app.Db();
        Assert.Equal(3, await db.Accounts.CountAsync(a => codes.Contains(a.Code)));
        Assert.Equal($"henglishihua{token.ToLowerInvariant()}dalianyouxiangongsi",
            await db.Accounts.Where(a => a.Code == codes[0]).Select(a => a.NamePinyin).SingleAsync());
    }
}
