using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Features.Auth;

[Collection(AppCollection.Name)]
public sealed class SignInTests(TestApp app)
{
    /// <summary>A new user, and another one locked out (the right password would open it otherwise).</summary>
    private async Task<(string Known, string Locked)> UsersAsync()
    {
        using var admin = await app.ClientAsync("admin");
        var names = new List<string>();
        foreach (var prefix in new[] { "known", "locked" })
        {
            var userName = TestApp.Unique(prefix).ToLowerInvariant();
            await (await admin.PostJsonAsync("/api/v1/users", new { userName, password = TestApp.Password, roles = new[] { "Rep" } })).ExpectAsync(HttpStatusCode.Created);
            names.Add(userName);
        }
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var locked = await users.FindByNameAsync(names[1]);
        await users.SetLockoutEndDateAsync(locked!, DateTimeOffset.UtcNow.AddMinutes(15));
        return (names[0], names[1]);
    }

    private static async Task<string> AnswerAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return string.Join("|", new[] { "type", "title", "detail", "status" }.Select(p => problem.TryGetProperty(p, out var v) ? v.ToString() : ""));
    }

    [Fact]
    public async Task Token_UnknownUserWrongPasswordOrLockedOut_SameAnswer()
    {
        var (known, locked) = await UsersAsync();
        using var client = app.CreateClient();

        var unknown = await AnswerAsync(await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = TestApp.Unique("nobody"), password = TestApp.Password }));
        var wrong = await AnswerAsync(await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = known, password = "wrong-password" }));
        var lockedOut = await AnswerAsync(await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = locked, password = TestApp.Password }));

        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, lockedOut);
    }

    [Fact]
    public async Task SignInForm_UnknownUserWrongPasswordOrLockedOut_SameAnswer()
    {
        var (known, locked) = await UsersAsync();
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var unknown = await SignInForm.ErrorAsync(await SignInForm.PostAsync(browser, TestApp.Unique("nobody"), TestApp.Password));
        var wrong = await SignInForm.ErrorAsync(await SignInForm.PostAsync(browser, known, "wrong-password"));
        var lockedOut = await SignInForm.ErrorAsync(await SignInForm.PostAsync(browser, locked, TestApp.Password));

        Assert.NotNull(unknown);
        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, lockedOut);
    }

    private WebApplicationFactory<Program> Limited(int perAddress, int perUserName) => app.WithWebHostBuilder(b =>
    {
        b.UseSetting("SignInLimits:PerAddress", perAddress.ToString());
        b.UseSetting("SignInLimits:PerUserName", perUserName.ToString());
        b.UseSetting("SignInLimits:Window", "00:10:00");
    });

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.InRange(retryAfter, 1, 600);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Token_MoreAttemptsThanTheAddressLimit_429WithRetryAfter()
    {
        await using var node = Limited(perAddress: 3, perUserName: 100);
        using var client = node.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = TestApp.Unique("guess"), password = "wrong" })).StatusCode);

        await AssertRefusedAsync(await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = "admin", password = TestApp.Password }));
        // Only attempts count: the form's page still opens.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task Token_MoreAttemptsThanTheUserNameLimit_429ForThatNameOnly()
    {
        await using var node = Limited(perAddress: 100, perUserName: 2);
        using var client = node.CreateClient();
        var target = TestApp.Unique("target");
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = target, password = "wrong" })).StatusCode);

        await AssertRefusedAsync(await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = " " + target.ToLowerInvariant(), password = "wrong" }));
        await (await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = "rep", password = TestApp.Password })).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignInForm_MoreAttemptsThanTheAddressLimit_429WithRetryAfter()
    {
        await using var node = Limited(perAddress: 2, perUserName: 100);
        using var browser = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await SignInForm.PostAsync(browser, TestApp.Unique("guess"), "wrong")).StatusCode);

        await AssertRefusedAsync(await SignInForm.PostAsync(browser, "rep", TestApp.Password));
    }
}
