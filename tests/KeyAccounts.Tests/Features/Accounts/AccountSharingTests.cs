using System.Net;
using System.Text.Json;
using KeyAccounts.Tests.Infrastructure;

namespace KeyAccounts.Tests.Features.Accounts;

[Collection(AppCollection.Name)]
public sealed class AccountSharingTests(TestApp app)
{
    private async Task<long> CreateOwnedByRepAsync()
    {
        using var rep = await app.ClientAsync("rep");
        var code = TestApp.Unique("SH");
        return (await (await rep.PostJsonAsync("/api/v1/accounts", new { code, name = $"共享列表{code}", type = "Customer" })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task ListShares_AfterSharingWithTwo_ReturnsThemOrderedByUserName()
    {
        var id = await CreateOwnedByRepAsync();
        using var rep = await app.ClientAsync("rep");
        await (await rep.PutJsonAsync($"/api/v1/accounts/{id}/shares", new { userId = app.UserIds["rep2"], access = "ReadWrite" })).ExpectAsync(HttpStatusCode.NoContent);
        await (await rep.PutJsonAsync($"/api/v1/accounts/{id}/shares", new { userId = app.UserIds["engineer"], access = "Read" })).ExpectAsync(HttpStatusCode.NoContent);

        var shares = await (await rep.GetAsync($"/api/v1/accounts/{id}/shares")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["engineer", "rep2"], shares.EnumerateArray().Select(s => s.GetProperty("userName").GetString()!).ToArray());
        Assert.Equal("Read", shares[0].GetProperty("access").GetString());
        Assert.Equal("ReadWrite", shares[1].GetProperty("access").GetString());
    }

    [Theory]
    [InlineData("westrep", HttpStatusCode.NotFound)]
    [InlineData("westmanager", HttpStatusCode.NotFound)]
    [InlineData("manager", HttpStatusCode.OK)]
    [InlineData("finance", HttpStatusCode.OK)]
    public async Task ListShares_ByViewer_FollowsVisibility(string viewer, HttpStatusCode expected)
    {
        var id = await CreateOwnedByRepAsync();
        using var client = await app.ClientAsync(viewer);
        await (await client.GetAsync($"/api/v1/accounts/{id}/shares")).ExpectAsync(expected);
    }

    [Fact]
    public async Task Unshare_ByReadOnlyColleague_Returns403AndKeepsTheShare()
    {
        var id = await CreateOwnedByRepAsync();
        using var rep = await app.ClientAsync("rep");
        await (await rep.PutJsonAsync($"/api/v1/accounts/{id}/shares", new { userId = app.UserIds["engineer"], access = "Read" })).ExpectAsync(HttpStatusCode.NoContent);
        using var engineer = await app.ClientAsync("engineer");

        await (await engineer.DeleteAsync($"/api/v1/accounts/{id}/shares/{app.UserIds["engineer"]}")).ExpectAsync(HttpStatusCode.Forbidden);

        var shares = await (await rep.GetAsync($"/api/v1/accounts/{id}/shares")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, shares.GetArrayLength());
        await (await rep.DeleteAsync($"/api/v1/accounts/{id}/shares/{app.UserIds["engineer"]}")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(JsonValueKind.Array, (await (await rep.GetAsync($"/api/v1/accounts/{id}/shares")).ExpectAsync(HttpStatusCode.OK)).ValueKind);
        await (await engineer.GetAsync($"/api/v1/accounts/{id}")).ExpectAsync(HttpStatusCode.NotFound);
    }
}
