using System.Net;
using KeyAccounts.Tests.Infrastructure;

namespace KeyAccounts.Tests.Features.Accounts;

/// <summary>Codes are kept as entered; a search by a code with lower-case letters finds it, company-wide and inside a book, on both engines.</summary>
[Collection(AppCollection.Name)]
public sealed class AccountCodeSearchTests(TestApp app)
{
    [Theory]
    [InlineData("admin")]
    [InlineData("rep")]
    [InlineData("manager")]
    public async Task Search_FullCodeWithLowerCaseLetters_FindsTheAccount(string viewer)
    {
        // PRB-b80902 as the tester had it, made unique: upper-case prefix, lower-case letter after the dash.
        var code = "PRB-b" + TestApp.Unique("").ToLowerInvariant();
        using var admin = await app.ClientAsync("admin");
        var created = await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = TestApp.Unique("宁波精工有限公司"), type = "Customer", ownerId = app.UserIds["rep"] }))
            .ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        using var client = await app.ClientAsync(viewer);

        foreach (var search in new[] { code, code[..7] })
        {
            var page = await (await client.GetAsync($"/api/v1/accounts?search={Uri.EscapeDataString(search)}&pageSize=100")).ExpectAsync(HttpStatusCode.OK);
            Assert.Contains(id, page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        }
    }

    /// <summary>An upper-case code is still found when typed in lower case, as before.</summary>
    [Fact]
    public async Task Search_UpperCaseCodeTypedInLowerCase_FindsTheAccount()
    {
        var code = TestApp.Unique("UPC");
        using var rep = await app.ClientAsync("rep");
        var created = await (await rep.PostJsonAsync("/api/v1/accounts", new { code, name = TestApp.Unique("杭州机械有限公司"), type = "Customer" })).ExpectAsync(HttpStatusCode.Created);

        var page = await (await rep.GetAsync($"/api/v1/accounts?search={Uri.EscapeDataString(code.ToLowerInvariant())}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Contains(created.GetProperty("id").GetInt64(), page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
    }
}
