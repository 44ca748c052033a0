using System.Net;
using System.Text.Json;
using KeyAccounts.Infrastructure;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Organisation;

/// <summary>An administrator sets a user's language (the one their screens and notifications use) through the users API.</summary>
[Collection(AppCollection.Name)]
public sealed class UserLanguageApiTests(TestApp app)
{
    private static async Task<JsonElement> ListedAsync(HttpClient admin, string userName) =>
        (await (await admin.GetAsync($"/api/v1/users?search={userName}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Single(u => u.GetProperty("userName").GetString() == userName);

    private async Task<string?> StoredAsync(string userName)
    {
        await using var db = app.Db();
        return await db.UserClaims.Where(c => c.ClaimType == Texts.LocaleClaim && db.Users.Any(u => u.Id == c.UserId && u.UserName == userName))
            .Select(c => c.ClaimValue).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task CreateAndUpdateUser_WithALanguage_StoredAndListed()
    {
        using var admin = await app.ClientAsync("admin");
        var userName = TestApp.Unique("lang").ToLowerInvariant();
        var created = await (await admin.PostJsonAsync("/api/v1/users", new { userName, password = TestApp.Password, roles = new[] { "Rep" }, language = "en" }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("en", created.GetProperty("language").GetString());
        Assert.Equal("en", (await ListedAsync(admin, userName)).GetProperty("language").GetString());
        Assert.Equal("en", await StoredAsync(userName));

        var id = created.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutJsonAsync($"/api/v1/users/{id}", new { language = "zh-CN" })).StatusCode);
        Assert.Equal("zh-CN", (await ListedAsync(admin, userName)).GetProperty("language").GetString());
        Assert.Equal("zh-CN", await StoredAsync(userName));

        // A change of something else leaves the language as it is.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutJsonAsync($"/api/v1/users/{id}", new { displayName = "李四" })).StatusCode);
        Assert.Equal("zh-CN", await StoredAsync(userName));
    }

    [Fact]
    public async Task CreateUser_WithoutALanguage_ListedAsNone()
    {
        using var admin = await app.ClientAsync("admin");
        var userName = TestApp.Unique("lang").ToLowerInvariant();
        await (await admin.PostJsonAsync("/api/v1/users", new { userName, password = TestApp.Password, roles = new[] { "Rep" } })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, (await ListedAsync(admin, userName)).GetProperty("language").ValueKind);
        Assert.Null(await StoredAsync(userName));
    }

    [Fact]
    public async Task CreateAndUpdateUser_UnknownLanguage_Returns400NamingLanguageAndChangesNothing()
    {
        using var admin = await app.ClientAsync("admin");
        var userName = TestApp.Unique("lang").ToLowerInvariant();
        var refused = await (await admin.PostJsonAsync("/api/v1/users", new { userName, password = TestApp.Password, roles = new[] { "Rep" }, language = "fr" }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("language", out _));
        await using (var db = app.Db())
            Assert.False(await db.Users.AnyAsync(u => u.UserName == userName));

        var created = await (await admin.PostJsonAsync("/api/v1/users", new { userName, password = TestApp.Password, roles = new[] { "Rep" }, language = "en" }))
            .ExpectAsync(HttpStatusCode.Created);
        var body = await (await admin.PutJsonAsync($"/api/v1/users/{created.GetProperty("id").GetString()}", new { displayName = "王五", language = "zh-TW" }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").TryGetProperty("language", out _));
        Assert.Equal("en", await StoredAsync(userName));
        Assert.Equal(userName, (await ListedAsync(admin, userName)).GetProperty("displayName").GetString());
    }
}
