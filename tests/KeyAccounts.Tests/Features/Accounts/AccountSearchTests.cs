using System.Net;
using System.Text.Json;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Accounts;

/// <summary>A name search inside a Rep's or a Manager's book finds the book's matches and nothing of another book.</summary>
[Collection(AppCollection.Name)]
public sealed class AccountSearchTests(TestApp app)
{
    private async Task<long> CreateAsync(string owner, string name)
    {
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.PostJsonAsync("/api/v1/accounts", new { code = TestApp.Unique("Q"), name, type = "Customer", ownerId = app.UserIds[owner] }))
            .ExpectAsync(HttpStatusCode.Created);
        return body.GetProperty("id").GetInt64();
    }

    private async Task<List<long>> SearchAsync(string asUser, string search, string extra = "")
    {
        using var client = await app.ClientAsync(asUser);
        var body = await (await client.GetAsync($"/api/v1/accounts?search={Uri.EscapeDataString(search)}&pageSize=100{extra}")).ExpectAsync(HttpStatusCode.OK);
        var ids = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Count, body.GetProperty("total").GetInt32());
        return ids;
    }

    /// <summary>A fragment of the names below only: Chinese characters, so that the trigram index and LIKE are both in play.</summary>
    private static string Fragment() => "精工" + TestApp.Unique("").ToLowerInvariant() + "机床";

    [Fact]
    public async Task Search_RepsBook_FindsOwnAndSharedButNotOthers()
    {
        var fragment = Fragment();
        var own = await CreateAsync("rep", $"宁波{fragment}有限公司");
        var colleague = await CreateAsync("rep2", $"杭州{fragment}有限公司");
        var west = await CreateAsync("westrep", $"成都{fragment}有限公司");
        var shared = await CreateAsync("westrep", $"重庆{fragment}有限公司");
        using var westrep = await app.ClientAsync("westrep");
        await (await westrep.PutJsonAsync($"/api/v1/accounts/{shared}/shares", new { userId = app.UserIds["rep"], access = "Read" })).ExpectAsync(HttpStatusCode.NoContent);

        var found = await SearchAsync("rep", fragment);

        Assert.Equal(new[] { own, shared }.Order(), found.Order());
        Assert.DoesNotContain(colleague, found);
        Assert.DoesNotContain(west, found);
    }

    /// <summary>
    /// Inside a book every arm of the match is checked while the book is read in name order: a code prefix, a name fragment and a
    /// Chinese-looking code all find the book's own accounts and nothing of another book.
    /// </summary>
    [Fact]
    public async Task Search_RepsBook_ByCodePrefixOrNameOrAChineseCode_FindsTheBooksAccounts()
    {
        var prefix = TestApp.Unique("CP");
        var fragment = Fragment();
        using var admin = await app.ClientAsync("admin");
        async Task<long> Create(string code, string name, string owner) =>
            (await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name, type = "Customer", ownerId = app.UserIds[owner] }))
                .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var byCode = await Create($"{prefix}1", $"温州{TestApp.Unique("")}阀门有限公司", "rep");
        var byName = await Create($"{prefix}2", $"台州{fragment}有限公司", "rep");
        var foreign = await Create($"{prefix}3", $"绵阳{fragment}有限公司", "westrep");
        var chinese = TestApp.Unique("编码");
        var chineseCode = await Create(chinese, $"嘉兴{TestApp.Unique("")}五金有限公司", "rep");

        Assert.Equal(new[] { byCode, byName }.Order(), (await SearchAsync("rep", prefix)).Order());
        Assert.Equal([byName], await SearchAsync("rep", fragment));
        Assert.Equal([chineseCode], await SearchAsync("rep", chinese));
        Assert.DoesNotContain(foreign, await SearchAsync("rep", prefix));
        Assert.Equal([foreign], await SearchAsync("westrep", fragment));
    }

    /// <summary>Pinyin initials inside a Rep's and a Manager's book (the owner's and the department's name index), in any case.</summary>
    [Fact]
    public async Task Search_InABook_ByPinyinInitials_FindsTheBooksAccounts()
    {
        var lead = TestApp.Unique("");
        var own = await CreateAsync("rep", $"{lead}温州阀门有限公司");
        var colleague = await CreateAsync("rep2", $"{lead}温岭五金有限公司");
        var west = await CreateAsync("westrep", $"{lead}温江机电有限公司");

        Assert.Equal([own], await SearchAsync("rep", $"{lead}WZ"));
        Assert.Equal([own], await SearchAsync("rep", $"{lead}wzfm".ToLowerInvariant()));
        Assert.Equal(new[] { own, colleague }.Order(), (await SearchAsync("manager", $"{lead}W")).Order());
        Assert.Equal([colleague], await SearchAsync("manager", $"{lead}WL"));
        Assert.Equal([west], await SearchAsync("westmanager", $"{lead}W"));
        Assert.Equal(new[] { own, colleague, west }.Order(), (await SearchAsync("admin", $"{lead}W")).Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("&sort=ArchiveScore&descending=true")]
    [InlineData("&page=1&sort=Tier")]
    public async Task Search_ManagersBook_FindsTheDepartmentsMatchesOnly(string extra)
    {
        var fragment = Fragment();
        var rep = await CreateAsync("rep", $"宁波{fragment}有限公司");
        var rep2 = await CreateAsync("rep2", $"杭州{fragment}股份有限公司");
        var west = await CreateAsync("westrep", $"成都{fragment}有限公司");

        var manager = await SearchAsync("manager", fragment, extra);
        var westManager = await SearchAsync("westmanager", fragment, extra);
        var admin = await SearchAsync("admin", fragment, extra);

        Assert.Equal(new[] { rep, rep2 }.Order(), manager.Order());
        Assert.Equal([west], westManager);
        Assert.Equal(new[] { rep, rep2, west }.Order(), admin.Order());
    }

    [Fact]
    public async Task Search_ManagersBook_FindsAnAccountSharedWithTheManager()
    {
        var fragment = Fragment();
        var rep = await CreateAsync("rep", $"宁波{fragment}有限公司");
        var shared = await CreateAsync("westrep", $"成都{fragment}有限公司");
        var west = await CreateAsync("westrep", $"重庆{fragment}有限公司");
        using var westrep = await app.ClientAsync("westrep");
        await (await westrep.PutJsonAsync($"/api/v1/accounts/{shared}/shares", new { userId = app.UserIds["manager"], access = "Read" })).ExpectAsync(HttpStatusCode.NoContent);

        var found = await SearchAsync("manager", fragment);

        Assert.Equal(new[] { rep, shared }.Order(), found.Order());
        Assert.DoesNotContain(west, found);
    }

    [Fact]
    public async Task Search_AfterTransferToAnotherDepartment_FollowsTheNewOwner()
    {
        var fragment = Fragment();
        var moving = await CreateAsync("rep", $"宁波{fragment}有限公司");
        var staying = await CreateAsync("rep", $"温州{fragment}有限公司");
        using var admin = await app.ClientAsync("admin");

        await (await admin.PostJsonAsync("/api/v1/accounts/transfers", new { accountIds = new[] { moving }, toUserIds = new[] { app.UserIds["westrep"] }, reason = "调整" }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([staying], await SearchAsync("rep", fragment));
        Assert.Equal([staying], await SearchAsync("manager", fragment));
        Assert.Equal([moving], await SearchAsync("westrep", fragment));
        Assert.Equal([moving], await SearchAsync("westmanager", fragment));
    }

    [Fact]
    public async Task Search_AfterRename_FindsTheNewNameOnly()
    {
        var fragment = Fragment();
        var id = await CreateAsync("rep", $"宁波{fragment}有限公司");
        await using (var db = app.Db())
        {
            var account = await db.Accounts.SingleAsync(a => a.Id == id);
            account.Name = "宁波改名有限公司" + TestApp.Unique("");
            await db.SaveChangesAsync();
        }

        Assert.Empty(await SearchAsync("rep", fragment));
        Assert.Empty(await SearchAsync("manager", fragment));
    }
}
