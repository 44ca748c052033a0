using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Tests.Infrastructure;

namespace KeyAccounts.Tests.Features.Accounts;

/// <summary>
/// The pages pass their search boxes to the list queries in-process, past the API's check of text input: a control character
/// pasted into a search box is dropped by the query, not sent to the engine (PostgreSQL refuses U+0000 in a parameter).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SearchBoxTests(TestApp app)
{
    [Fact]
    public async Task ListAccounts_SearchWithControlCharacters_FindsAsWithout()
    {
        var name = TestApp.Unique("控制字符检索有限公司");
        using var admin = await app.ClientAsync("admin");
        await (await admin.PostJsonAsync("/api/v1/accounts", new { code = TestApp.Unique("CC-"), name, type = "Customer", ownerId = app.UserIds["rep"] }))
            .ExpectAsync(System.Net.HttpStatusCode.Created);
        var user = TestApp.As(app.UserIds["admin"], "admin", "Admin");

        await using var db = app.Db();
        var page = await ListAccounts.HandleAsync(new ListAccounts.Query { Search = "\0" + name[..12] + "\u0007" }, db, user, CancellationToken.None);

        Assert.Contains(page.Value!.Items, a => a.Name == name);
    }

    [Fact]
    public async Task ListContacts_SearchOfOnlyControlCharacters_ListsWithoutFilter()
    {
        var user = TestApp.As(app.UserIds["admin"], "admin", "Admin");
        await using var db = app.Db();

        var filtered = await ListContacts.HandleAsync(new ListContacts.Query(Search: "\0\u0001"), db, user, CancellationToken.None);
        var all = await ListContacts.HandleAsync(new ListContacts.Query(), db, user, CancellationToken.None);

        Assert.Equal(all.Value!.Total, filtered.Value!.Total);
    }
}
