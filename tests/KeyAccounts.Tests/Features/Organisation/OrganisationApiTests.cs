using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyAccounts.Features.Audit;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Tests.Features.Organisation;

[Collection(AppCollection.Name)]
public sealed class OrganisationApiTests(TestApp app)
{
    [Fact]
    public async Task CreateUser_AsAdmin_Returns201AndTheUserCanGetAToken()
    {
        using var admin = await app.ClientAsync("admin");
        var userName = TestApp.Unique("u").ToLowerInvariant();
        var body = await (await admin.PostJsonAsync("/api/v1/users", new { userName, displayName = "张三", password = TestApp.Password, roles = new[] { "Rep", "Engineer" }, departmentId = app.WestTeamId }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(userName, body.GetProperty("userName").GetString());
        Assert.Equal(new[] { "Rep", "Engineer" }, body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());

        using var anonymous = app.CreateClient();
        var token = await (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = TestApp.Password })).ExpectAsync(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(token.GetProperty("accessToken").GetString()));
        Assert.EndsWith("Z", token.GetProperty("expiresAt").GetString());

        await using var db = app.Db();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Entity == "AppUser" && e.EntityKey == userName && e.Action == AuditAction.Created));
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Entity == "AppUser" && e.After!.Contains("PasswordHash")));
    }

    [Theory]
    [InlineData("rep")]
    [InlineData("manager")]
    [InlineData("leader")]
    public async Task CreateUser_AsNonAdmin_Returns403(string who)
    {
        using var client = await app.ClientAsync(who);
        var response = await client.PostJsonAsync("/api/v1/users", new { userName = TestApp.Unique("x"), password = TestApp.Password, roles = new[] { "Admin" } });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CreateUser_UnknownRoleAndNoPassword_Returns400NamingFields()
    {
        using var admin = await app.ClientAsync("admin");
        var body = await (await admin.PostJsonAsync("/api/v1/users", new { userName = TestApp.Unique("x"), roles = new[] { "Boss" } })).ExpectAsync(HttpStatusCode.BadRequest);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("roles", out _));
        Assert.True(errors.TryGetProperty("password", out _));
    }

    [Fact]
    public async Task CreateUser_TakenName_Returns409()
    {
        using var admin = await app.ClientAsync("admin");
        await (await admin.PostJsonAsync("/api/v1/users", new { userName = "rep", password = TestApp.Password, roles = new[] { "Rep" } })).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("manager", HttpStatusCode.OK)]
    [InlineData("rep", HttpStatusCode.Forbidden)]
    [InlineData("finance", HttpStatusCode.Forbidden)]
    public async Task ListUsers_ByRole_AnswersAsApiMdSays(string who, HttpStatusCode expected)
    {
        using var client = await app.ClientAsync(who);
        var response = await client.GetAsync("/api/v1/users?page=1&pageSize=5");
        var body = await response.ExpectAsync(expected);
        if (expected != HttpStatusCode.OK) return;
        Assert.Equal(5, body.GetProperty("pageSize").GetInt32());
        Assert.True(body.GetProperty("total").GetInt32() >= 9);
        var first = body.GetProperty("items")[0];
        foreach (var field in new[] { "id", "userName", "displayName", "roles" })
            Assert.True(first.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task MoveDepartment_UnderAnother_RewritesTheSubtreePaths()
    {
        using var admin = await app.ClientAsync("admin");
        var a = await (await admin.PostJsonAsync("/api/v1/departments", new { name = "测试A" + TestApp.Unique(""), parentId = app.CompanyId })).ExpectAsync(HttpStatusCode.Created);
        var b = await (await admin.PostJsonAsync("/api/v1/departments", new { name = "测试B", parentId = a.GetProperty("id").GetInt32() })).ExpectAsync(HttpStatusCode.Created);
        var aId = a.GetProperty("id").GetInt32();
        var bId = b.GetProperty("id").GetInt32();

        await (await admin.PutJsonAsync($"/api/v1/departments/{aId}", new { name = "测试A", parentId = app.WestTeamId })).ExpectAsync(HttpStatusCode.NoContent);

        await using var db = app.Db();
        var west = await db.Departments.SingleAsync(d => d.Id == app.WestTeamId);
        Assert.Equal($"{west.Path}{aId}/", (await db.Departments.SingleAsync(d => d.Id == aId)).Path);
        Assert.Equal($"{west.Path}{aId}/{bId}/", (await db.Departments.SingleAsync(d => d.Id == bId)).Path);
    }

    /// <summary>A sub-department's path changes with its parent's move: a form that still shows the old one gets a conflict.</summary>
    [Fact]
    public async Task MoveDepartment_ASubDepartmentReadBeforeTheMove_GetsAConflict()
    {
        using var admin = await app.ClientAsync("admin");
        var a = await (await admin.PostJsonAsync("/api/v1/departments", new { name = "版本A" + TestApp.Unique(""), parentId = app.CompanyId })).ExpectAsync(HttpStatusCode.Created);
        var aId = a.GetProperty("id").GetInt32();
        var b = await (await admin.PostJsonAsync("/api/v1/departments", new { name = "版本B", parentId = aId })).ExpectAsync(HttpStatusCode.Created);
        var bId = b.GetProperty("id").GetInt32();
        var seen = b.GetProperty("version").GetInt32();

        await (await admin.PutJsonAsync($"/api/v1/departments/{aId}", new { name = "版本A", parentId = app.WestTeamId })).ExpectAsync(HttpStatusCode.NoContent);

        await (await admin.PutJsonAsync($"/api/v1/departments/{bId}", new { name = "版本B改", parentId = aId, version = seen })).ExpectAsync(HttpStatusCode.PreconditionFailed);
        await using (var db = app.Db())
        {
            var moved = await db.Departments.SingleAsync(d => d.Id == bId);
            Assert.Equal("版本B", moved.Name);
            Assert.NotEqual(seen, moved.Version);
            await (await admin.PutJsonAsync($"/api/v1/departments/{bId}", new { name = "版本B改", parentId = aId, version = moved.Version })).ExpectAsync(HttpStatusCode.NoContent);
        }
        await using var after = app.Db();
        Assert.Equal("版本B改", (await after.Departments.SingleAsync(d => d.Id == bId)).Name);
    }

    /// <summary>
    /// Two moves sent at once, A under B and B under A: each alone is valid, together they would make a cycle. One of them
    /// wins and the other, checked against the tree the first one left, is refused; every path stays its parent's plus its id.
    /// </summary>
    [Fact]
    public async Task MoveDepartments_CrosswiseAtTheSameTime_NeverMakeACycle()
    {
        using var admin = await app.ClientAsync("admin");
        using var other = await app.ClientAsync("admin");
        var ids = new List<int>();
        for (var round = 0; round < 4; round++)
        {
            var a = (await (await admin.PostJsonAsync("/api/v1/departments", new { name = "交叉A" + TestApp.Unique(""), parentId = app.CompanyId })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
            var b = (await (await admin.PostJsonAsync("/api/v1/departments", new { name = "交叉B", parentId = app.CompanyId })).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
            ids.AddRange([a, b]);
            var answers = await Task.WhenAll(
                admin.PutJsonAsync($"/api/v1/departments/{a}", new { name = "交叉A", parentId = b }),
                other.PutJsonAsync($"/api/v1/departments/{b}", new { name = "交叉B", parentId = a }));
            Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.BadRequest], answers.Select(r => r.StatusCode).Order().ToArray());
        }
        await using var db = app.Db();
        var tree = await db.Departments.ToDictionaryAsync(d => d.Id);
        foreach (var id in ids)
        {
            var department = tree[id];
            Assert.Equal($"{tree[department.ParentId!.Value].Path}{id}/", department.Path);
        }
    }

    [Fact]
    public async Task MoveDepartment_UnderItsOwnChild_Returns400()
    {
        using var admin = await app.ClientAsync("admin");
        var a = await (await admin.PostJsonAsync("/api/v1/departments", new { name = "环A", parentId = app.CompanyId })).ExpectAsync(HttpStatusCode.Created);
        var b = await (await admin.PostJsonAsync("/api/v1/departments", new { name = "环B", parentId = a.GetProperty("id").GetInt32() })).ExpectAsync(HttpStatusCode.Created);
        var body = await (await admin.PutJsonAsync($"/api/v1/departments/{a.GetProperty("id").GetInt32()}", new { name = "环A", parentId = b.GetProperty("id").GetInt32() }))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").TryGetProperty("parentId", out _));
    }

    [Fact]
    public async Task DeleteDepartment_WithMembers_IsRefused()
    {
        using var admin = await app.ClientAsync("admin");
        await (await admin.DeleteAsync($"/api/v1/departments/{app.EastTeamId}")).ExpectAsync(HttpStatusCode.BadRequest);
        await using var db = app.Db();
        Assert.True(await db.Departments.AnyAsync(d => d.Id == app.EastTeamId));
    }

    /// <summary>An account that still belongs to a department keeps it (the foreign key would otherwise answer 500).</summary>
    [Fact]
    public async Task DeleteDepartment_AccountsStillBelongToIt_IsRefused()
    {
        using var admin = await app.ClientAsync("admin");
        var department = (await (await admin.PostJsonAsync("/api/v1/departments", new { name = TestApp.Unique("空部门"), parentId = app.CompanyId }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt32();
        var account = (await (await admin.PostJsonAsync("/api/v1/accounts", new { code = TestApp.Unique("DD"), name = TestApp.Unique("归属") + "有限公司", type = "Customer" }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        await using (var db = app.Db())
            await db.Accounts.Where(a => a.Id == account).ExecuteUpdateAsync(s => s.SetProperty(a => a.DepartmentId, department));

        var body = await (await admin.DeleteAsync($"/api/v1/departments/{department}")).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Contains("hand them over", body.GetProperty("errors").GetProperty("id")[0].GetString());
        await using var check = app.Db();
        Assert.True(await check.Departments.AnyAsync(d => d.Id == department));
    }

    [Fact]
    public async Task Token_FiveWrongPasswords_LocksTheUserOut()
    {
        using var admin = await app.ClientAsync("admin");
        var userName = TestApp.Unique("lock").ToLowerInvariant();
        await (await admin.PostJsonAsync("/api/v1/users", new { userName, password = TestApp.Password, roles = new[] { "Rep" } })).ExpectAsync(HttpStatusCode.Created);
        using var anonymous = app.CreateClient();
        for (var i = 0; i < 5; i++)
            await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = "wrong-" + i });

        // Locked out, the right password gets the same answer as a wrong one: the answer must not tell that the account exists.
        var locked = await (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = TestApp.Password })).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Wrong user name or password.", locked.GetProperty("title").GetString());
        await using var db = app.Db();
        Assert.True(await db.Users.Where(u => u.UserName == userName).Select(u => u.LockoutEnd).SingleAsync() > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task DeactivatedUser_CannotGetAToken()
    {
        using var admin = await app.ClientAsync("admin");
        var userName = TestApp.Unique("gone").ToLowerInvariant();
        var id = (await (await admin.PostJsonAsync("/api/v1/users", new { userName, password = TestApp.Password, roles = new[] { "Rep" } })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString();
        await (await admin.PutJsonAsync($"/api/v1/users/{id}", new { isActive = false })).ExpectAsync(HttpStatusCode.NoContent);
        using var anonymous = app.CreateClient();
        await (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = TestApp.Password })).ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Deactivate_UserHoldsABearerToken_TokenStopsWorking()
    {
        using var admin = await app.ClientAsync("admin");
        var userName = TestApp.Unique("leaver").ToLowerInvariant();
        var id = (await (await admin.PostJsonAsync("/api/v1/users", new { userName, password = TestApp.Password, roles = new[] { "Rep" } })).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString();
        using var leaver = await app.ClientAsync(userName);
        await (await leaver.GetAsync("/api/v1/accounts")).ExpectAsync(HttpStatusCode.OK);

        await (await admin.PutJsonAsync($"/api/v1/users/{id}", new { isActive = false })).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, (await leaver.GetAsync("/api/v1/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/accounts")).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrent_Returns400AndRightCurrent_Works()
    {
        using var admin = await app.ClientAsync("admin");
        var userName = TestApp.Unique("pw").ToLowerInvariant();
        await (await admin.PostJsonAsync("/api/v1/users", new { userName, password = TestApp.Password, roles = new[] { "Rep" } })).ExpectAsync(HttpStatusCode.Created);
        using var user = await app.ClientAsync(userName);

        var wrong = await (await user.PostJsonAsync("/api/v1/auth/password", new { currentPassword = "nope-nope", newPassword = "NewPassw0rd" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(wrong.GetProperty("errors").TryGetProperty("currentPassword", out _));
        await (await user.PostJsonAsync("/api/v1/auth/password", new { currentPassword = TestApp.Password, newPassword = "NewPassw0rd" })).ExpectAsync(HttpStatusCode.NoContent);

        using var anonymous = app.CreateClient();
        await (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = "NewPassw0rd" })).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Me_ReturnsRolesAndScope()
    {
        using var manager = await app.ClientAsync("manager");
        var me = await (await manager.GetAsync("/api/v1/auth/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Department", me.GetProperty("scope").GetString());
        Assert.Contains("Manager", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }
}
