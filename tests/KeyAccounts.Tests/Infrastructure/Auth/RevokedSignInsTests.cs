using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using KeyAccounts.Data;
using KeyAccounts.Infrastructure.Auth;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyAccounts.Tests.Infrastructure.Auth;

[Collection(AppCollection.Name)]
public sealed class RevokedSignInsTests(TestApp app)
{
    private async Task<(string Id, string UserName)> CreateUserAsync(string role)
    {
        using var admin = await app.ClientAsync("admin");
        var userName = TestApp.Unique("revoke").ToLowerInvariant();
        var created = await (await admin.PostJsonAsync("/api/v1/users", new { userName, password = TestApp.Password, roles = new[] { role } }))
            .ExpectAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetString()!, userName);
    }

    private async Task<HttpClient> BearerAsync(string userName, string password = TestApp.Password)
    {
        using var anonymous = app.CreateClient();
        var token = (await (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { userName, password })).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("accessToken").GetString();
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task RoleChange_AdminDemotedToRep_TheirOldTokenIsRefusedAtOnce()
    {
        var (id, userName) = await CreateUserAsync("Admin");
        using var demoted = await BearerAsync(userName);
        await (await demoted.GetAsync("/api/v1/users")).ExpectAsync(HttpStatusCode.OK);

        using var admin = await app.ClientAsync("admin");
        await (await admin.PutJsonAsync($"/api/v1/users/{id}", new { roles = new[] { "Rep" } })).ExpectAsync(HttpStatusCode.NoContent);

        var other = TestApp.Unique("made").ToLowerInvariant();
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await demoted.PostJsonAsync("/api/v1/users", new { userName = other, password = TestApp.Password, roles = new[] { "Admin" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await demoted.GetAsync("/api/v1/auth/me")).StatusCode);
        await using var db = app.Db();
        Assert.False(db.Users.Any(u => u.UserName == other));

        // Signed in again, they are a Rep.
        using var again = await BearerAsync(userName);
        var me = await (await again.GetAsync("/api/v1/auth/me")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Rep", Assert.Single(me.GetProperty("roles").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task PasswordChange_OwnPassword_TheOldTokenIsRefusedAtOnce()
    {
        var (_, userName) = await CreateUserAsync("Rep");
        using var client = await BearerAsync(userName);
        await (await client.GetAsync("/api/v1/auth/me")).ExpectAsync(HttpStatusCode.OK); // the stamp is now kept in memory

        await (await client.PostJsonAsync("/api/v1/auth/password", new { currentPassword = TestApp.Password, newPassword = "NewPassw0rd!" }))
            .ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        using var again = await BearerAsync(userName, "NewPassw0rd!");
        await (await again.GetAsync("/api/v1/auth/me")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PasswordReset_ByAdministrator_TheUsersCookieIsRefusedAtOnce()
    {
        var (id, userName) = await CreateUserAsync("Rep");
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await SignInForm.PostAsync(browser, userName, TestApp.Password)).StatusCode);
        await (await browser.GetAsync("/api/v1/auth/me")).ExpectAsync(HttpStatusCode.OK);

        using var admin = await app.ClientAsync("admin");
        await (await admin.PutJsonAsync($"/api/v1/users/{id}", new { newPassword = "NewPassw0rd!" })).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    /// <summary>
    /// On PostgreSQL the other node hears of the change (LISTEN/NOTIFY) and refuses the old token at once, though its clock never
    /// moves; on SQLite (one machine) a second process reads the stamp again after <see cref="SignInStamps.Recheck"/>.
    /// </summary>
    [Fact]
    public async Task RoleChange_OnOneNode_TheOtherNodeRefusesTheOldTokenAtOnceOnPostgres()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var node = app.SecondNode(s => s.AddSingleton(sp =>
            new SignInStamps(sp.GetRequiredService<Func<AppDb>>(), clock, sp.GetRequiredService<IOptions<IdentityOptions>>())));
        var stamps = node.Services.GetRequiredService<SignInStamps>();
        var postgres = app.Provider == DatabaseProvider.Postgres;
        // The second node's listener connects in the background as the node starts.
        using (var started = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            while (postgres && !stamps.Listens) await Task.Delay(20, started.Token);
        var (id, userName) = await CreateUserAsync("Admin");
        using var here = await BearerAsync(userName);
        using var there = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        there.DefaultRequestHeaders.Authorization = here.DefaultRequestHeaders.Authorization;
        await (await there.GetAsync("/api/v1/users")).ExpectAsync(HttpStatusCode.OK); // the second node now keeps the stamp
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stamps.Forgotten += forgotten =>
        {
            if (forgotten == id) heard.TrySetResult();
        };

        using var admin = await app.ClientAsync("admin");
        await (await admin.PutJsonAsync($"/api/v1/users/{id}", new { roles = new[] { "Rep" } })).ExpectAsync(HttpStatusCode.NoContent);

        if (postgres) await heard.Task.WaitAsync(TimeSpan.FromSeconds(30));
        else clock.Now += SignInStamps.Recheck;
        Assert.Equal(HttpStatusCode.Unauthorized, (await there.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await here.GetAsync("/api/v1/users")).StatusCode);
    }
}
