using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KeyAccounts.Features.Imports;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Accounts;

/// <summary>
/// An account belongs to its owner's department (归属部门), and a Manager's book is read through it: a new account, a hand-over,
/// an import and an owner moved to another department all keep it, so a Manager sees exactly the department's accounts.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AccountDepartmentTests(TestApp app)
{
    private async Task<long> CreateAsync(string code, string ownerId)
    {
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.PostJsonAsync("/api/v1/accounts", new { code, name = $"{code}精工有限公司", type = "Customer", ownerId }))
            .ExpectAsync(HttpStatusCode.Created);
        return body.GetProperty("id").GetInt64();
    }

    private async Task<int?> DepartmentOfAsync(long accountId)
    {
        await using var db = app.Db();
        return await db.Accounts.Where(a => a.Id == accountId).Select(a => a.DepartmentId).SingleAsync();
    }

    /// <summary>The accounts of the list (searched by a code prefix) that <paramref name="user"/> sees.</summary>
    private async Task<List<long>> ListAsync(string user, string codePrefix)
    {
        using var client = await app.ClientAsync(user);
        var body = await (await client.GetAsync($"/api/v1/accounts?search={codePrefix}&pageSize=100")).ExpectAsync(HttpStatusCode.OK);
        return [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Order()];
    }

    private async Task<HttpStatusCode> GetAsync(string user, long accountId)
    {
        using var client = await app.ClientAsync(user);
        return (await client.GetAsync($"/api/v1/accounts/{accountId}")).StatusCode;
    }

    [Fact]
    public async Task Create_TakesTheOwnersDepartment()
    {
        var p = TestApp.Unique("DC");
        var east = await CreateAsync($"{p}1", app.UserIds["rep"]);
        var west = await CreateAsync($"{p}2", app.UserIds["westrep"]);

        Assert.Equal(app.EastTeamId, await DepartmentOfAsync(east));
        Assert.Equal(app.WestTeamId, await DepartmentOfAsync(west));
        // The East manager heads the region above the team (a list of departments); the West manager a team of its own (one).
        Assert.Equal([east], await ListAsync("manager", p));
        Assert.Equal([west], await ListAsync("westmanager", p));
    }

    [Fact]
    public async Task Transfer_MovesTheAccountToTheNewOwnersDepartment()
    {
        var p = TestApp.Unique("DT");
        var id = await CreateAsync($"{p}1", app.UserIds["rep"]);
        using var admin = await app.ClientAsync("admin");

        await (await admin.PostJsonAsync("/api/v1/accounts/transfers", new { accountIds = new[] { id }, toUserIds = new[] { app.UserIds["westrep"] }, reason = "调整" }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(app.WestTeamId, await DepartmentOfAsync(id));
        Assert.Empty(await ListAsync("manager", p));
        Assert.Equal([id], await ListAsync("westmanager", p));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync("manager", id));
    }

    [Fact]
    public async Task OwnerMovedToAnotherDepartment_TakesTheirAccountsAlong()
    {
        var p = TestApp.Unique("DM");
        using var admin = await app.ClientAsync("admin");
        var user = await (await admin.PostJsonAsync("/api/v1/users",
                new { userName = p.ToLowerInvariant(), displayName = "调岗", password = TestApp.Password, roles = new[] { "Rep" }, departmentId = app.EastTeamId }))
            .ExpectAsync(HttpStatusCode.Created);
        var userId = user.GetProperty("id").GetString()!;
        var first = await CreateAsync($"{p}1", userId);
        var second = await CreateAsync($"{p}2", userId);
        var staying = await CreateAsync($"{p}3", app.UserIds["rep"]);
        Assert.Equal([first, second, staying], await ListAsync("manager", p));

        int Version(long id) { using var db = app.Db(); return db.Accounts.Where(a => a.Id == id).Select(a => a.Version).Single(); }
        var versionBefore = Version(first);

        await (await admin.PutJsonAsync($"/api/v1/users/{userId}", new { departmentId = app.WestTeamId })).ExpectAsync(HttpStatusCode.NoContent);

        // The move is a change of the account: an edit or import that read it before is refused as a conflict.
        Assert.Equal(versionBefore + 1, Version(first));
        Assert.Equal(app.WestTeamId, await DepartmentOfAsync(first));
        Assert.Equal(app.WestTeamId, await DepartmentOfAsync(second));
        Assert.Equal(app.EastTeamId, await DepartmentOfAsync(staying));
        Assert.Equal([staying], await ListAsync("manager", p));
        Assert.Equal([first, second], await ListAsync("westmanager", p));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync("manager", first));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("westmanager", first));
        // The owner's own view does not change.
        using var moved = await app.ClientAsync(p.ToLowerInvariant());
        var own = await (await moved.GetAsync($"/api/v1/accounts?search={p}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, own.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Import_NewAndReassignedAccounts_TakeTheOwnersDepartment()
    {
        var p = TestApp.Unique("DI");
        var existing = await CreateAsync($"{p}1", app.UserIds["rep"]);
        var csv = new UTF8Encoding(false).GetBytes($"code,name,type,ownerUserName\n{p}1,{p}1精工有限公司,Customer,westrep\n{p}2,{p}2精工有限公司,Customer,westrep\n{p}3,{p}3精工有限公司,Customer,\n");
        using var admin = await app.ClientAsync("admin");
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(csv);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", "accounts.csv");

        var report = await (await admin.PostAsync("/api/v1/imports/accounts", content)).ExpectAsync<ImportReport>(HttpStatusCode.OK);

        Assert.True(report.Errors.Count == 0, string.Join("\n", report.Errors.Select(e => $"{e.Line} {e.Column}: {e.Message}")));
        await using var db = app.Db();
        var stored = await db.Accounts.Where(a => a.Code.StartsWith(p)).OrderBy(a => a.Code).Select(a => new { a.Id, a.DepartmentId }).ToListAsync();
        Assert.Equal([existing, stored[1].Id, stored[2].Id], stored.Select(a => a.Id));
        // Reassigned and new for westrep: the West team; new without an owner column value: the importing admin's department.
        Assert.Equal([app.WestTeamId, app.WestTeamId, app.CompanyId], stored.Select(a => a.DepartmentId));
        Assert.Equal([existing, stored[1].Id], await ListAsync("westmanager", p));
        Assert.Empty(await ListAsync("manager", p));
    }
}
