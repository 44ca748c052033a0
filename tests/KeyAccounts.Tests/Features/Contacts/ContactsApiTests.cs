using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyAccounts.Features.Audit;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Contacts;

[Collection(AppCollection.Name)]
public sealed class ContactsApiTests(TestApp app)
{
    private async Task<long> CreateAccountAsync(string owner)
    {
        using var admin = await app.ClientAsync("admin");
        var code = TestApp.Unique("CT");
        var created = await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = $"联系人{code}有限公司", type = "Customer", ownerId = app.UserIds[owner] }))
            .ExpectAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }

    private static async Task<JsonElement> AddAsync(HttpClient client, long accountId, object body) =>
        await (await client.PostJsonAsync($"/api/v1/accounts/{accountId}/contacts", body)).ExpectAsync(HttpStatusCode.Created);

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, long id, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/contacts/{id}") { Content = JsonContent.Create(body, options: TestApp.Json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Create_ValidContact_Returns201AuditsAndRaisesTheScore()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var response = await rep.PostJsonAsync($"/api/v1/accounts/{accountId}/contacts", new
        {
            name = "王建国", title = "总经理", department = "总经办", role = "DecisionMaker", attitude = "Supporter", influence = 5,
            birthday = "1970-05-01", phone = "13800000000", email = "wang@example.com", weChat = "wjg1970", preferences = "喜欢喝茶",
        });
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/contacts/{id}", response.Headers.Location!.ToString());
        Assert.Equal("DecisionMaker", body.GetProperty("role").GetString());
        Assert.Equal("1970-05-01", body.GetProperty("birthday").GetString());
        Assert.True(body.GetProperty("isActive").GetBoolean());

        await using var db = app.Db();
        // One of three expected people (10/3), decision maker (5), attitude known (5): 13 of 100.
        Assert.Equal(13, (await db.Accounts.SingleAsync(a => a.Id == accountId)).ArchiveScore);
        var audit = await db.AuditEntries.SingleAsync(e => e.Entity == "Contact" && e.EntityKey == id.ToString());
        Assert.Equal(AuditAction.Created, audit.Action);
        Assert.Equal(accountId, audit.AccountId);
        Assert.Equal("rep", audit.UserName);
    }

    [Fact]
    public async Task Create_InvalidFields_Returns400NamingEachField()
    {
        var accountId = await CreateAccountAsync("rep");
        var otherAccount = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var stranger = (await AddAsync(rep, otherAccount, new { name = "外人" })).GetProperty("id").GetInt64();
        var body = await (await rep.PostJsonAsync($"/api/v1/accounts/{accountId}/contacts", new
        {
            name = " ", influence = 6, email = "not-an-email", birthday = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd"), reportsToId = stranger,
        })).ExpectAsync(HttpStatusCode.BadRequest);
        var errors = body.GetProperty("errors");
        foreach (var field in new[] { "name", "influence", "email", "birthday", "reportsToId" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        await using var db = app.Db();
        Assert.False(await db.Contacts.AnyAsync(c => c.AccountId == accountId));
    }

    [Fact]
    public async Task Get_Contact_ReturnsItWithETag()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var id = (await AddAsync(rep, accountId, new { name = "李工" })).GetProperty("id").GetInt64();
        using var manager = await app.ClientAsync("manager");
        var response = await manager.GetAsync($"/api/v1/contacts/{id}");
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("李工", body.GetProperty("name").GetString());
        Assert.Equal(3, body.GetProperty("influence").GetInt32());
        Assert.Equal("Unknown", body.GetProperty("attitude").GetString());
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Put_StaleIfMatch_Returns412AndKeepsTheFirstEdit()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        using var manager = await app.ClientAsync("manager");
        var id = (await AddAsync(rep, accountId, new { name = "张三", title = "采购" })).GetProperty("id").GetInt64();
        var etag = (await rep.GetAsync($"/api/v1/contacts/{id}")).Headers.ETag!.Tag;

        var first = await PutAsync(manager, id, new { name = "张三", title = "采购经理" }, etag);
        await first.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("\"2\"", first.Headers.ETag!.Tag);
        await (await PutAsync(rep, id, new { name = "张三", title = "采购主管" }, etag)).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await (await PutAsync(rep, id, new { name = "张三", title = "采购主管", version = 1 })).ExpectAsync(HttpStatusCode.PreconditionFailed);

        await using var db = app.Db();
        var stored = await db.Contacts.SingleAsync(c => c.Id == id);
        Assert.Equal("采购经理", stored.Title);
        var update = await db.AuditEntries.SingleAsync(e => e.Entity == "Contact" && e.EntityKey == id.ToString() && e.Action == AuditAction.Updated);
        Assert.Contains("采购", update.Before);
        Assert.Contains("采购经理", update.After);
        Assert.Equal("manager", update.UserName);
    }

    [Fact]
    public async Task Put_MarkAsLeft_HidesFromDefaultListAndLowersTheScore()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var id = (await AddAsync(rep, accountId, new { name = "赵总", role = "DecisionMaker", attitude = "Neutral" })).GetProperty("id").GetInt64();
        await AddAsync(rep, accountId, new { name = "钱工" });
        int Score() { using var db = app.Db(); return db.Accounts.Single(a => a.Id == accountId).ArchiveScore; }
        var before = Score();

        await (await PutAsync(rep, id, new { name = "赵总", role = "DecisionMaker", attitude = "Neutral", isActive = false, version = 1 })).ExpectAsync(HttpStatusCode.OK);
        Assert.True(Score() < before);

        var active = await (await rep.GetAsync($"/api/v1/accounts/{accountId}/contacts")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, active.GetProperty("total").GetInt32());
        var all = await (await rep.GetAsync($"/api/v1/accounts/{accountId}/contacts?includeLeft=true&page=1&pageSize=10")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.Equal(10, all.GetProperty("pageSize").GetInt32());
    }

    [Fact]
    public async Task Put_ReportsToOwnSubordinate_Returns400Cycle()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var ceo = (await AddAsync(rep, accountId, new { name = "总经理" })).GetProperty("id").GetInt64();
        var director = (await AddAsync(rep, accountId, new { name = "总监", reportsToId = ceo })).GetProperty("id").GetInt64();
        var engineer = (await AddAsync(rep, accountId, new { name = "工程师", reportsToId = director })).GetProperty("id").GetInt64();

        var cycle = await (await PutAsync(rep, ceo, new { name = "总经理", reportsToId = engineer })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("cycle", cycle.GetProperty("errors").GetProperty("reportsToId")[0].GetString());
        var self = await (await PutAsync(rep, ceo, new { name = "总经理", reportsToId = ceo })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(self.GetProperty("errors").TryGetProperty("reportsToId", out _));

        await using var db = app.Db();
        Assert.Null((await db.Contacts.SingleAsync(c => c.Id == ceo)).ReportsToId);
    }

    [Fact]
    public async Task Delete_Manager_RemovesThemAndMovesReportsUp()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var ceo = (await AddAsync(rep, accountId, new { name = "董事长" })).GetProperty("id").GetInt64();
        var director = (await AddAsync(rep, accountId, new { name = "副总", reportsToId = ceo })).GetProperty("id").GetInt64();
        var engineer = (await AddAsync(rep, accountId, new { name = "技术员", reportsToId = director })).GetProperty("id").GetInt64();

        await (await rep.DeleteAsync($"/api/v1/contacts/{director}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await rep.GetAsync($"/api/v1/contacts/{director}")).ExpectAsync(HttpStatusCode.NotFound);

        await using var db = app.Db();
        Assert.Equal(ceo, (await db.Contacts.SingleAsync(c => c.Id == engineer)).ReportsToId);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "Contact" && e.EntityKey == director.ToString() && e.Action == AuditAction.Deleted));
        Assert.Equal(2, await db.Contacts.CountAsync(c => c.AccountId == accountId));
    }

    [Fact]
    public async Task Contacts_ForeignAccount_Returns404OnEveryEndpoint()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var id = (await AddAsync(rep, accountId, new { name = "秘密联系人" })).GetProperty("id").GetInt64();
        using var westrep = await app.ClientAsync("westrep");

        await (await westrep.GetAsync($"/api/v1/accounts/{accountId}/contacts")).ExpectAsync(HttpStatusCode.NotFound);
        await (await westrep.PostJsonAsync($"/api/v1/accounts/{accountId}/contacts", new { name = "X" })).ExpectAsync(HttpStatusCode.NotFound);
        await (await westrep.GetAsync($"/api/v1/contacts/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await PutAsync(westrep, id, new { name = "X" })).ExpectAsync(HttpStatusCode.NotFound);
        await (await westrep.DeleteAsync($"/api/v1/contacts/{id}")).ExpectAsync(HttpStatusCode.NotFound);
        await (await westrep.GetAsync($"/api/v1/accounts/{accountId}/relationship-map")).ExpectAsync(HttpStatusCode.NotFound);
        var search = await (await westrep.GetAsync("/api/v1/contacts?search=秘密联系人")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, search.GetProperty("total").GetInt32());
        var byAccount = await (await westrep.GetAsync($"/api/v1/contacts?accountId={accountId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, byAccount.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Contacts_ReadOnlyViewer_Returns403OnEveryEdit()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var id = (await AddAsync(rep, accountId, new { name = "只读联系人" })).GetProperty("id").GetInt64();
        using var finance = await app.ClientAsync("finance");

        await (await finance.GetAsync($"/api/v1/contacts/{id}")).ExpectAsync(HttpStatusCode.OK);
        await (await finance.GetAsync($"/api/v1/accounts/{accountId}/contacts")).ExpectAsync(HttpStatusCode.OK);
        await (await finance.PostJsonAsync($"/api/v1/accounts/{accountId}/contacts", new { name = "X" })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await PutAsync(finance, id, new { name = "改名" })).ExpectAsync(HttpStatusCode.Forbidden);
        await (await finance.DeleteAsync($"/api/v1/contacts/{id}")).ExpectAsync(HttpStatusCode.Forbidden);

        await using var db = app.Db();
        Assert.Equal("只读联系人", (await db.Contacts.SingleAsync(c => c.Id == id)).Name);
        Assert.Equal(1, await db.Contacts.CountAsync(c => c.AccountId == accountId));
    }

    [Fact]
    public async Task Search_AcrossVisibleAccounts_FiltersByRoleAndAttitude()
    {
        var accountId = await CreateAccountAsync("rep");
        var foreign = await CreateAccountAsync("westrep");
        var tag = TestApp.Unique("P");
        using var rep = await app.ClientAsync("rep");
        using var westrep = await app.ClientAsync("westrep");
        await AddAsync(rep, accountId, new { name = $"{tag}甲", role = "DecisionMaker", attitude = "Supporter" });
        await AddAsync(rep, accountId, new { name = $"{tag}乙", role = "User", attitude = "Opponent" });
        await AddAsync(westrep, foreign, new { name = $"{tag}丙", role = "DecisionMaker", attitude = "Supporter" });

        var mine = await (await rep.GetAsync($"/api/v1/contacts?search={tag}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, mine.GetProperty("total").GetInt32());
        Assert.Equal(accountId, mine.GetProperty("items")[0].GetProperty("accountId").GetInt64());
        Assert.StartsWith("CT", mine.GetProperty("items")[0].GetProperty("accountCode").GetString());
        var deciders = await (await rep.GetAsync($"/api/v1/contacts?search={tag}&role=DecisionMaker&attitude=Supporter")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"{tag}甲", deciders.GetProperty("items").EnumerateArray().Single().GetProperty("name").GetString());

        using var leader = await app.ClientAsync("leader");
        var all = await (await leader.GetAsync($"/api/v1/contacts?search={tag}&role=DecisionMaker&page=1&pageSize=1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.Single(all.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task RelationshipMap_Account_ReturnsNodesAndReportsToEdges()
    {
        var accountId = await CreateAccountAsync("rep");
        using var rep = await app.ClientAsync("rep");
        var ceo = (await AddAsync(rep, accountId, new { name = "总经理", title = "CEO", role = "DecisionMaker", attitude = "Supporter", influence = 5 })).GetProperty("id").GetInt64();
        var buyer = (await AddAsync(rep, accountId, new { name = "采购", reportsToId = ceo, attitude = "Opponent", influence = 2 })).GetProperty("id").GetInt64();
        var left = (await AddAsync(rep, accountId, new { name = "已离职", reportsToId = ceo })).GetProperty("id").GetInt64();
        await (await PutAsync(rep, left, new { name = "已离职", reportsToId = ceo, isActive = false })).ExpectAsync(HttpStatusCode.OK);

        using var manager = await app.ClientAsync("manager");
        var map = await (await manager.GetAsync($"/api/v1/accounts/{accountId}/relationship-map")).ExpectAsync(HttpStatusCode.OK);
        var nodes = map.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        var ceoNode = nodes.Single(n => n.GetProperty("id").GetInt64() == ceo);
        Assert.Equal("CEO", ceoNode.GetProperty("title").GetString());
        Assert.Equal("Supporter", ceoNode.GetProperty("attitude").GetString());
        Assert.Equal(5, ceoNode.GetProperty("influence").GetInt32());
        Assert.Equal(ceo, nodes.Single(n => n.GetProperty("id").GetInt64() == buyer).GetProperty("reportsToId").GetInt64());
        var edge = map.GetProperty("edges").EnumerateArray().Single();
        Assert.Equal(buyer, edge.GetProperty("contactId").GetInt64());
        Assert.Equal(ceo, edge.GetProperty("reportsToId").GetInt64());

        var withLeft = await (await manager.GetAsync($"/api/v1/accounts/{accountId}/relationship-map?includeLeft=true")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, withLeft.GetProperty("nodes").GetArrayLength());
        Assert.Equal(2, withLeft.GetProperty("edges").GetArrayLength());
    }
}
