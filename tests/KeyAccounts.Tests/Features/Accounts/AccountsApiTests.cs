using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Audit;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Accounts;

[Collection(AppCollection.Name)]
public sealed class AccountsApiTests(TestApp app)
{
    private async Task<JsonElement> CreateAsync(string asUser, object body)
    {
        using var client = await app.ClientAsync(asUser);
        return await (await client.PostJsonAsync("/api/v1/accounts", body)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Create_ValidAccount_Returns201WithLocationAndStoresIt()
    {
        using var client = await app.ClientAsync("rep");
        var code = TestApp.Unique("A");
        var response = await client.PostJsonAsync("/api/v1/accounts", new { code, name = $"宁波{code}精密机械有限公司", type = "Customer", province = "浙江", creditCode = "91350100M000100Y43".Length == 18 ? null : "" });
        var body = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal($"/api/v1/accounts/{body.GetProperty("id").GetInt64()}", response.Headers.Location!.ToString());
        Assert.Equal("Ordinary", body.GetProperty("tier").GetString());
        Assert.Equal(app.UserIds["rep"], body.GetProperty("ownerId").GetString());
        Assert.EndsWith("Z", body.GetProperty("createdAt").GetString());
        await using var db = app.Db();
        var stored = await db.Accounts.Include(a => a.OwnershipChanges).SingleAsync(a => a.Code == code);
        Assert.Equal("浙江", stored.Province);
        Assert.Single(stored.OwnershipChanges);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.AccountId == stored.Id && e.Entity == "Account" && e.Action == AuditAction.Created && e.UserName == "rep"));
    }

    [Fact]
    public async Task Create_BadCreditCode_Returns400NamingTheField()
    {
        using var client = await app.ClientAsync("rep");
        var body = await (await client.PostJsonAsync("/api/v1/accounts", new { code = TestApp.Unique("B"), name = "坏代码公司" + Guid.NewGuid(), type = "Customer", creditCode = "91350100M000100Y44" }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("check character", body.GetProperty("errors").GetProperty("creditCode")[0].GetString());
    }

    [Fact]
    public async Task Create_SameCreditCodeAsInvisibleAccount_Returns409NamingOnlyTheOwner()
    {
        var code = TestApp.Unique("W");
        await CreateAsync("westrep", new { code, name = $"西部{code}有限公司", type = "Dealer", creditCode = "91110108MA01U3XK8Y" is var cc && Analytics.CreditCodeTests.IsValid(cc) ? cc : Analytics.CreditCodeTests.MakeValid("91110108MA01U3XK8") });
        using var rep = await app.ClientAsync("rep");
        var body = await (await rep.PostJsonAsync("/api/v1/accounts", new { code = TestApp.Unique("E"), name = "完全不同的名字" + code, type = "Customer", creditCode = Analytics.CreditCodeTests.MakeValid("91110108MA01U3XK8") }))
            .ExpectAsync(HttpStatusCode.Conflict);
        var detail = body.GetProperty("detail").GetString()!;
        Assert.Contains("WESTREP", detail);
        Assert.DoesNotContain(code, detail);
    }

    [Fact]
    public async Task Create_NameDiffersOnlyBySuffixAndWidth_Returns409()
    {
        var code = TestApp.Unique("N");
        await CreateAsync("rep", new { code, name = $"杭州{code}传动股份有限公司", type = "Customer" });
        using var rep2 = await app.ClientAsync("rep2");
        var fullWidth = string.Concat(code.Select(c => (char)(c + 0xFEE0)));
        await (await rep2.PostJsonAsync("/api/v1/accounts", new { code = TestApp.Unique("N"), name = $"杭州 {fullWidth} 传动有限公司", type = "Customer" }))
            .ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Create_NameDiffersOnlyBySpacingAndBracketWidth_Returns409NamingTheOwner()
    {
        var code = TestApp.Unique("G");
        await CreateAsync("westrep", new { code, name = $"南京长禾{code}传动(集团)有限责任公司", type = "Customer" });
        using var rep = await app.ClientAsync("rep");
        var body = await (await rep.PostJsonAsync("/api/v1/accounts", new { code = TestApp.Unique("G"), name = $"南京 长禾{code}传动（集团）有限责任公司", type = "Customer" }))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("WESTREP", body.GetProperty("detail").GetString()!);
    }

    [Theory]
    [InlineData("rep", true)]
    [InlineData("rep2", false)]
    [InlineData("manager", true)]
    [InlineData("westmanager", false)]
    [InlineData("westrep", false)]
    [InlineData("engineer", false)]
    [InlineData("leader", true)]
    [InlineData("admin", true)]
    [InlineData("finance", true)]
    public async Task Get_AccountOwnedByEastRep_VisibleOnlyInScope(string viewer, bool visible)
    {
        var code = TestApp.Unique("V");
        var id = (await CreateAsync("rep", new { code, name = $"可见性{code}", type = "Customer" })).GetProperty("id").GetInt64();
        using var client = await app.ClientAsync(viewer);

        var get = await client.GetAsync($"/api/v1/accounts/{id}");
        Assert.Equal(visible ? HttpStatusCode.OK : HttpStatusCode.NotFound, get.StatusCode);
        var list = await (await client.GetAsync($"/api/v1/accounts?search={code}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(visible ? 1 : 0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Share_ReadOnlyThenReadWrite_GrantsSightThenEdit()
    {
        var code = TestApp.Unique("S");
        var created = await CreateAsync("rep", new { code, name = $"共享{code}", type = "Customer" });
        var id = created.GetProperty("id").GetInt64();
        using var owner = await app.ClientAsync("rep");
        using var engineer = await app.ClientAsync("engineer");
        var edit = new { code, name = $"共享{code}改", type = "Customer" };

        await (await owner.PutJsonAsync($"/api/v1/accounts/{id}/shares", new { userId = app.UserIds["engineer"], access = "Read" })).ExpectAsync(HttpStatusCode.NoContent);
        await (await engineer.GetAsync($"/api/v1/accounts/{id}")).ExpectAsync(HttpStatusCode.OK);
        await (await engineer.PutJsonAsync($"/api/v1/accounts/{id}", edit)).ExpectAsync(HttpStatusCode.Forbidden);

        await (await owner.PutJsonAsync($"/api/v1/accounts/{id}/shares", new { userId = app.UserIds["engineer"], access = "ReadWrite" })).ExpectAsync(HttpStatusCode.NoContent);
        var updated = await (await engineer.PutJsonAsync($"/api/v1/accounts/{id}", edit)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"共享{code}改", updated.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Put_StaleIfMatch_Returns412AndKeepsTheFirstEdit()
    {
        var code = TestApp.Unique("C");
        var id = (await CreateAsync("rep", new { code, name = $"并发{code}", type = "Customer" })).GetProperty("id").GetInt64();
        using var client = await app.ClientAsync("rep");
        var get = await client.GetAsync($"/api/v1/accounts/{id}");
        var etag = get.Headers.ETag!.Tag;

        using var first = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/accounts/{id}") { Content = JsonContent.Create(new { code, name = $"并发{code}甲", type = "Customer" }) };
        first.Headers.TryAddWithoutValidation("If-Match", etag);
        var firstResponse = await client.SendAsync(first);
        await firstResponse.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(etag, firstResponse.Headers.ETag!.Tag);

        using var second = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/accounts/{id}") { Content = JsonContent.Create(new { code, name = $"并发{code}乙", type = "Customer" }) };
        second.Headers.TryAddWithoutValidation("If-Match", etag);
        await (await client.SendAsync(second)).ExpectAsync(HttpStatusCode.PreconditionFailed);

        await using var db = app.Db();
        Assert.Equal($"并发{code}甲", (await db.Accounts.SingleAsync(a => a.Id == id)).Name);
        var update = await db.AuditEntries.Where(e => e.AccountId == id && e.Action == AuditAction.Updated).SingleAsync();
        Assert.Contains($"并发{code}", update.Before);
        Assert.Contains($"并发{code}甲", update.After);
    }

    [Fact]
    public async Task Transfer_LeavingRepsBook_SplitsRoundRobinAndKeepsHistory()
    {
        using var admin = await app.ClientAsync("admin");
        var leaver = TestApp.Unique("leaver").ToLowerInvariant();
        var created = await (await admin.PostJsonAsync("/api/v1/users", new { userName = leaver, displayName = "Leaver", password = TestApp.Password, roles = new[] { "Rep" }, departmentId = app.EastTeamId }))
            .ExpectAsync(HttpStatusCode.Created);
        var leaverId = created.GetProperty("id").GetString()!;
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            var code = TestApp.Unique("T");
            ids.Add((await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = $"交接{code}", type = "Customer", ownerId = leaverId }))
                .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64());
        }

        using var rep = await app.ClientAsync("rep");
        await (await rep.PostJsonAsync("/api/v1/accounts/transfers", new { fromUserId = leaverId, toUserIds = new[] { app.UserIds["rep"], app.UserIds["rep2"] }, reason = "离职" }))
            .ExpectAsync(HttpStatusCode.Forbidden);

        using var manager = await app.ClientAsync("manager");
        var result = await (await manager.PostJsonAsync("/api/v1/accounts/transfers", new { fromUserId = leaverId, toUserIds = new[] { app.UserIds["rep"], app.UserIds["rep2"] }, reason = "离职" }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, result.GetProperty("moved").GetInt32());

        await using var db = app.Db();
        var owners = await db.Accounts.Where(a => ids.Contains(a.Id)).Select(a => a.OwnerId).ToListAsync();
        Assert.Equal(2, owners.Count(o => o == app.UserIds["rep"]));
        Assert.Equal(2, owners.Count(o => o == app.UserIds["rep2"]));
        var history = await (await manager.GetAsync($"/api/v1/accounts/{ids[0]}/owners")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("离职", history[0].GetProperty("reason").GetString());
        Assert.Equal("Leaver", history[0].GetProperty("fromName").GetString());
    }

    [Fact]
    public async Task Anonymous_ApiCall_Returns401()
    {
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/accounts")).StatusCode);
    }

    [Fact]
    public async Task Token_WrongPassword_Returns401()
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = "rep", password = "wrong-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
