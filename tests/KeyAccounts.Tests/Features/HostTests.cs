using System.Net;
using KeyAccounts.Tests.Infrastructure;

namespace KeyAccounts.Tests.Features;

[Collection(AppCollection.Name)]
public sealed class HostTests(TestApp app)
{
    [Fact]
    public async Task Healthz_DatabaseUp_Returns200()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheAccountsApi()
    {
        using var client = app.CreateClient();
        var doc = await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/accounts", out _));
        Assert.True(paths.TryGetProperty("/api/v1/auth/token", out _));
    }

    [Fact]
    public async Task ApiReference_IsServedWithoutExternalScripts()
    {
        using var client = app.CreateClient();
        var html = await client.GetStringAsync("/api-reference/v1");
        Assert.Contains("<script", html);
        Assert.DoesNotContain("https://cdn", html);
    }

    [Fact]
    public async Task Page_Anonymous_RedirectsToSignIn()
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("zh-CN", "登录")]
    [InlineData("en-US", "Sign in")]
    public async Task SignInPage_FollowsBrowserLanguage(string language, string expected)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var html = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/account/login"));
        Assert.Contains(expected, html);
    }
}
