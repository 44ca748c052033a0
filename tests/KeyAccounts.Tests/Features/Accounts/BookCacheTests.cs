using System.Net;
using System.Text.Json;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Accounts;

/// <summary>Users' books kept in memory (<see cref="BookCache"/>) never outlive a committed change of shares or departments.</summary>
[Collection(AppCollection.Name)]
public sealed class BookCacheTests(TestApp app)
{
    private static async Task<int> TotalAsync(HttpClient client, string search) =>
        (await (await client.GetAsync($"/api/v1/accounts?search={search}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32();

    private async Task<string> CreateAsync(string owner)
    {
        using var client = await app.ClientAsync(owner);
        var code = TestApp.Unique("BK");
        await (await client.PostJsonAsync("/api/v1/accounts", new { code, name = $"账本{code}", type = "Customer" })).ExpectAsync(HttpStatusCode.Created);
        return code;
    }

    private static async Task<long> IdAsync(HttpClient client, string code) =>
        (await (await client.GetAsync($"/api/v1/accounts?search={code}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetInt64();

    /// <summary>On PostgreSQL books are kept only once the app listens for changes: waited for, so the tests below meet kept books.</summary>
    private static async Task BooksKeptAsync(IServiceProvider services)
    {
        var books = services.GetRequiredService<BookCache>();
        for (var i = 0; i < 100 && !books.Keeps; i++) await Task.Delay(100);
        Assert.True(books.Keeps);
    }

    [Fact]
    public async Task RepList_AfterShareAndUnshare_FollowsAtOnce()
    {
        await BooksKeptAsync(app.Services);
        var code = await CreateAsync("rep");
        using var rep = await app.ClientAsync("rep");
        using var rep2 = await app.ClientAsync("rep2");
        var id = await IdAsync(rep, code);
        Assert.Equal(0, await TotalAsync(rep2, code)); // rep2's book is now in memory

        await (await rep.PutJsonAsync($"/api/v1/accounts/{id}/shares", new { userId = app.UserIds["rep2"], access = "Read" })).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(1, await TotalAsync(rep2, code));

        await (await rep.DeleteAsync($"/api/v1/accounts/{id}/shares/{app.UserIds["rep2"]}")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(0, await TotalAsync(rep2, code));
    }

    [Fact]
    public async Task ManagerList_AfterADepartmentMovesUnderTheirs_ShowsItsAccountsAtOnce()
    {
        await BooksKeptAsync(app.Services);
        using var admin = await app.ClientAsync("admin");
        var name = TestApp.Unique("迁移部");
        var department = (await (await admin.PostJsonAsync("/api/v1/departments", new { name, parentId = app.CompanyId })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("id").GetInt32();
        var userName = TestApp.Unique("mover").ToLowerInvariant();
        await (await admin.PostJsonAsync("/api/v1/users", new { userName, displayName = "迁移", password = TestApp.Password, roles = new[] { "Rep" }, departmentId = department }))
            .ExpectAsync(HttpStatusCode.Created);
        var code = await CreateAsync(userName);
        using var manager = await app.ClientAsync("westmanager");
        Assert.Equal(0, await TotalAsync(manager, code));

        await (await admin.PutJsonAsync($"/api/v1/departments/{department}", new { name, parentId = app.WestTeamId })).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal(1, await TotalAsync(manager, code));
        await using var db = app.Db();
        Assert.StartsWith(db.Departments.Single(d => d.Id == app.WestTeamId).Path, db.Departments.Single(d => d.Id == department).Path);
    }

    [Fact]
    public async Task ManagerList_AfterAUserMovesIntoTheirDepartment_ShowsTheirAccountsAtOnce()
    {
        await BooksKeptAsync(app.Services);
        using var admin = await app.ClientAsync("admin");
        var userName = TestApp.Unique("joiner").ToLowerInvariant();
        var userId = (await (await admin.PostJsonAsync("/api/v1/users", new { userName, displayName = "调入", password = TestApp.Password, roles = new[] { "Rep" }, departmentId = app.EastTeamId }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var code = await CreateAsync(userName);
        using var manager = await app.ClientAsync("westmanager");
        Assert.Equal(0, await TotalAsync(manager, code));

        await (await admin.PutJsonAsync($"/api/v1/users/{userId}", new { displayName = "调入", roles = new[] { "Rep" }, departmentId = app.WestTeamId })).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal(1, await TotalAsync(manager, code));
    }

    /// <summary>
    /// On PostgreSQL every node hears of a change at once (LISTEN/NOTIFY); on SQLite, one machine's database, a second process
    /// reads the book again after <see cref="BookCache.Lifetime"/>.
    /// </summary>
    [Fact]
    public async Task SecondNode_AfterAShareOnTheFirst_SeesItOnPostgresAtOnceOnSqliteAfterTheLifetime()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var node = app.SecondNode(s => s.AddSingleton(new BookCache(clock, needsListener: app.Provider == DatabaseProvider.Postgres)));
        var code = await CreateAsync("rep");
        using var rep = await app.ClientAsync("rep");
        using var engineerThere = await app.ClientAsync("engineer", node);
        var id = await IdAsync(rep, code);
        await BooksKeptAsync(node.Services);
        Assert.Equal(0, await TotalAsync(engineerThere, code));

        await (await rep.PutJsonAsync($"/api/v1/accounts/{id}/shares", new { userId = app.UserIds["engineer"], access = "Read" })).ExpectAsync(HttpStatusCode.NoContent);

        if (app.Provider == DatabaseProvider.Postgres)
        {
            var seen = 0;
            for (var i = 0; i < 50 && seen == 0; i++)
            {
                if (i > 0) await Task.Delay(100);
                seen = await TotalAsync(engineerThere, code);
            }
            Assert.Equal(1, seen);
        }
        else
        {
            Assert.Equal(0, await TotalAsync(engineerThere, code));
            clock.Now += BookCache.Lifetime;
            Assert.Equal(1, await TotalAsync(engineerThere, code));
        }
    }

    [Fact]
    public async Task GetOrRead_WhenForgottenWhileReading_ReadsAgainNextTime()
    {
        var books = new BookCache(TimeProvider.System, needsListener: false);
        var user = TestApp.As("u1", "u1", Roles.Rep);
        var reads = 0;
        var first = await books.GetOrReadAsync(user, () =>
        {
            reads++;
            books.Forget(); // a change committed while the book was read
            return Task.FromResult<Book?>(new Book("u1", [], []));
        });
        var second = await books.GetOrReadAsync(user, () => Task.FromResult<Book?>(new Book("u1", [], [++reads])));
        var third = await books.GetOrReadAsync(user, () => Task.FromResult<Book?>(new Book("u1", [], [++reads])));

        Assert.Empty(first!.Shared);
        Assert.Equal([2L], second!.Shared);
        Assert.Same(second, third);
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task GetOrRead_OnPostgresWhileNotListening_ReadsEveryTime()
    {
        var books = new BookCache(TimeProvider.System, needsListener: true);
        var user = TestApp.As("u1", "u1", Roles.Manager);
        var reads = 0;
        Task<Book?> Read() => Task.FromResult<Book?>(new Book(null, [++reads], []));
        await books.GetOrReadAsync(user, Read);
        await books.GetOrReadAsync(user, Read);
        books.Listening(true);
        await books.GetOrReadAsync(user, Read);
        await books.GetOrReadAsync(user, Read);
        books.Listening(false);
        await books.GetOrReadAsync(user, Read);

        Assert.Equal(4, reads);
    }
}
