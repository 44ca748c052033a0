using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Audit;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Archives;

[Collection(AppCollection.Name)]
public sealed class ArchivesApiTests(TestApp app)
{
    private async Task<long> CreateAccountAsync(string owner, string? tier = null)
    {
        using var admin = await app.ClientAsync("admin");
        var code = TestApp.Unique("AR");
        var created = await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = $"档案{code}机械有限公司", type = "Customer", ownerId = app.UserIds[owner] }))
            .ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        if (tier is not null)
        {
            await using var db = app.Db();
            await db.Accounts.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Tier, Enum.Parse<Tier>(tier)));
        }
        return id;
    }

    private static object FullArchive(int? version = null, string competitor = "恒力液压") => new
    {
        productionScale = new { employees = 1200, annualRevenue = 850000000m, annualCapacity = 300000m, capacityUnit = "台", plantAreaSquareMetres = 56000m },
        productLines = new[] { new { name = "液压缸", sharePercent = 60m }, new { name = "齿轮泵", sharePercent = 40m } },
        productionLines = new[] { new { name = "焊接线", count = 3, utilisationPercent = 85m } },
        developmentPlans = new[] { new { horizon = "2027", plan = "新建智能工厂", investment = 200000000m } },
        marketShare = new { sharePercent = 12.5m, industryRank = 3, asOfYear = 2025 },
        salesRegions = new[] { new { region = "华东", sharePercent = 55m } },
        subDealers = new[] { new { name = "苏州分销商", region = "江苏", annualVolume = 1500m } },
        terminals = new[] { new { name = "三一重工", region = "湖南", kind = "OEM" } },
        competitors = new[] { new { name = competitor, position = "Strong", walletSharePercent = 30m } },
        version,
    };

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, long id, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/accounts/{id}/archive") { Content = JsonContent.Create(body, options: TestApp.Json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Get_AccountWithoutArchive_ReturnsEmptyArchiveAtVersion0()
    {
        var id = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var response = await rep.GetAsync($"/api/v1/accounts/{id}/archive");
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, body.GetProperty("version").GetInt32());
        Assert.Equal("\"0\"", response.Headers.ETag!.Tag);
        Assert.Equal(0, body.GetProperty("competitors").GetArrayLength());
    }

    [Fact]
    public async Task Put_FullArchive_StoresSectionsAuditsAndRaisesTheScore()
    {
        var id = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var response = await PutAsync(rep, id, FullArchive(), "\"0\"");
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal("Strong", body.GetProperty("competitors")[0].GetProperty("position").GetString());

        var again = await (await rep.GetAsync($"/api/v1/accounts/{id}/archive")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("液压缸", again.GetProperty("productLines")[0].GetProperty("name").GetString());
        Assert.Equal(12.5m, again.GetProperty("marketShare").GetProperty("sharePercent").GetDecimal());

        await using var db = app.Db();
        var account = await db.Accounts.SingleAsync(a => a.Id == id);
        // Every archive section is filled; basics, key people, decision maker and attitudes are not: 70 of 100.
        Assert.Equal(70, account.ArchiveScore);
        var audit = await db.AuditEntries.SingleAsync(e => e.AccountId == id && e.Entity == "AccountArchive");
        Assert.Equal(AuditAction.Created, audit.Action);
        Assert.Equal("rep", audit.UserName);
        Assert.Contains("恒力液压", audit.After);
    }

    [Fact]
    public async Task Put_StaleIfMatch_Returns412AndKeepsTheFirstSave()
    {
        var id = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        using var manager = await app.ClientAsync("manager");
        await (await PutAsync(rep, id, FullArchive(competitor: "第一家"), "\"0\"")).ExpectAsync(HttpStatusCode.OK);

        var get = await manager.GetAsync($"/api/v1/accounts/{id}/archive");
        var etag = get.Headers.ETag!.Tag;
        await (await PutAsync(manager, id, FullArchive(competitor: "经理改的"), etag)).ExpectAsync(HttpStatusCode.OK);
        var stale = await (await PutAsync(rep, id, FullArchive(competitor: "业务员改的"), etag)).ExpectAsync(HttpStatusCode.PreconditionFailed);
        Assert.Contains("Someone else saved this archive", stale.GetProperty("detail").GetString());
        await (await PutAsync(rep, id, FullArchive(1, "过期版本"))).ExpectAsync(HttpStatusCode.PreconditionFailed);

        await using var db = app.Db();
        var archive = await db.Archives.SingleAsync(a => a.AccountId == id);
        Assert.Equal("经理改的", archive.Competitors.Single().Name);
        Assert.Equal(2, archive.Version);
        var update = await db.AuditEntries.SingleAsync(e => e.AccountId == id && e.Entity == "AccountArchive" && e.Action == AuditAction.Updated);
        Assert.Contains("第一家", update.Before);
        Assert.Contains("经理改的", update.After);
        Assert.Equal("manager", update.UserName);
    }

    [Fact]
    public async Task Put_FirstSaveWithStaleVersion_Returns412()
    {
        var id = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        await (await PutAsync(rep, id, FullArchive(3))).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await using var db = app.Db();
        Assert.False(await db.Archives.AnyAsync(a => a.AccountId == id));
    }

    [Fact]
    public async Task Put_InvalidItems_Returns400NamingEachField()
    {
        var id = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var body = await (await PutAsync(rep, id, new
        {
            productionScale = new { employees = -5 },
            productLines = new object[] { new { name = "液压缸", sharePercent = 70m }, new { name = "泵", sharePercent = 50m } },
            developmentPlans = new[] { new { horizon = "", plan = "扩产" } },
            marketShare = new { sharePercent = 120m },
            competitors = new object[] { new { name = "甲", position = "Weak" }, new { name = "乙", position = "Equal" }, new { name = " ", position = "Leading" } },
            subDealers = new[] { new { name = new string('长', 201) } },
        })).ExpectAsync(HttpStatusCode.BadRequest);

        var errors = body.GetProperty("errors");
        foreach (var field in new[] { "competitors[2].name", "productionScale.employees", "marketShare.sharePercent", "developmentPlans[0].horizon", "productLines", "subDealers[0].name" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        Assert.False(errors.TryGetProperty("competitors[0].name", out _));
        await using var db = app.Db();
        Assert.False(await db.Archives.AnyAsync(a => a.AccountId == id));
    }

    [Fact]
    public async Task Put_TooManyItems_Returns400NamingTheList()
    {
        var id = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var body = await (await PutAsync(rep, id, new { competitors = Enumerable.Range(0, 201).Select(i => new { name = $"C{i}", position = "Weak" }) }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").TryGetProperty("competitors", out _));
    }

    [Fact]
    public async Task Archive_ForeignAccount_Returns404OnEveryEndpoint()
    {
        var id = await CreateAccountAsync("rep");
        using var westrep = await app.ClientAsync("westrep");
        await (await westrep.GetAsync($"/api/v1/accounts/{id}/archive")).ExpectAsync(HttpStatusCode.NotFound);
        await (await PutAsync(westrep, id, FullArchive())).ExpectAsync(HttpStatusCode.NotFound);
        await (await westrep.GetAsync($"/api/v1/accounts/{id}/archive/completeness")).ExpectAsync(HttpStatusCode.NotFound);
        var list = await (await westrep.GetAsync($"/api/v1/archives/completeness?ownerId={app.UserIds["rep"]}&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("accountId").GetInt64() == id);
    }

    [Theory]
    [InlineData("finance")]
    [InlineData("engineer")]
    public async Task Put_ReadOnlyViewer_Returns403AndChangesNothing(string viewer)
    {
        var id = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        await (await rep.PutJsonAsync($"/api/v1/accounts/{id}/shares", new { userId = app.UserIds["engineer"], access = "Read" })).ExpectAsync(HttpStatusCode.NoContent);
        using var client = await app.ClientAsync(viewer);
        await (await client.GetAsync($"/api/v1/accounts/{id}/archive")).ExpectAsync(HttpStatusCode.OK);
        await (await PutAsync(client, id, FullArchive())).ExpectAsync(HttpStatusCode.Forbidden);
        await using var db = app.Db();
        Assert.False(await db.Archives.AnyAsync(a => a.AccountId == id));
    }

    [Fact]
    public async Task Completeness_OfOneAccount_ListsFilledAndMissingSections()
    {
        var id = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        await (await PutAsync(rep, id, new { competitors = new[] { new { name = "甲", position = "Weak" } } })).ExpectAsync(HttpStatusCode.OK);
        var body = await (await rep.GetAsync($"/api/v1/accounts/{id}/archive/completeness")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(10, body.GetProperty("score").GetInt32());
        var missing = body.GetProperty("missing").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains("ProductionScale", missing);
        Assert.DoesNotContain("Competitors", missing);
        var competitors = body.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("section").GetString() == "Competitors");
        Assert.True(competitors.GetProperty("isComplete").GetBoolean());
    }

    [Fact]
    public async Task CompletenessList_KeyAccountsOfOneOwner_ThinnestFirstWithMissingSections()
    {
        var owner = "rep2";
        var thick = await CreateAccountAsync(owner, "Key");
        var thin = await CreateAccountAsync(owner, "Key");
        var notKey = await CreateAccountAsync(owner, "Major");
        using var client = await app.ClientAsync(owner);
        await (await PutAsync(client, thick, FullArchive())).ExpectAsync(HttpStatusCode.OK);

        var body = await (await client.GetAsync($"/api/v1/archives/completeness?tier=Key&ownerId={app.UserIds[owner]}&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        var ids = items.Select(i => i.GetProperty("accountId").GetInt64()).ToList();
        Assert.DoesNotContain(notKey, ids);
        Assert.True(ids.IndexOf(thin) < ids.IndexOf(thick));
        var scores = items.Select(i => i.GetProperty("archiveScore").GetInt32()).ToList();
        Assert.Equal(scores.Order(), scores);
        var thinItem = items.Single(i => i.GetProperty("accountId").GetInt64() == thin);
        Assert.Contains("Competitors", thinItem.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.DoesNotContain("Competitors", items.Single(i => i.GetProperty("accountId").GetInt64() == thick).GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.All(items, i => Assert.Equal("Key", i.GetProperty("tier").GetString()));
    }

    [Fact]
    public async Task CompletenessList_Paged_ReturnsPageShape()
    {
        using var leader = await app.ClientAsync("leader");
        await CreateAccountAsync("rep");
        await CreateAccountAsync("rep");
        var body = await (await leader.GetAsync("/api/v1/archives/completeness?page=2&pageSize=1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("page").GetInt32());
        Assert.Equal(1, body.GetProperty("pageSize").GetInt32());
        Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.True(body.GetProperty("total").GetInt32() >= 2);
    }
}
