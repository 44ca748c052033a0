using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using KeyAccounts.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyAccounts.Tests.Infrastructure;

[Collection(AppCollection.Name)]
public sealed class SecurityHeadersTests(TestApp app)
{
    [Fact]
    public async Task Page_Served_CarriesTheHeadersAndAPolicyWhoseNonceIsTheImportMaps()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        var nonce = Regex.Match(policy, "script-src 'self' 'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", html);
    }

    [Fact]
    public async Task ApiAnswer_EvenAnError_CarriesTheHeaders()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/api/v1/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Single(response.Headers.GetValues("Referrer-Policy"));
        Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
    }

    [Fact]
    public async Task SignIn_OverHttps_TheAuthCookieIsSecure()
    {
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var response = await SignInForm.PostAsync(browser, "rep", TestApp.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("KeyAccounts.Auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task KeyRing_CertificateConfigured_StoredEncryptedAndReadByAnotherNode()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=KeyAccounts key ring test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(Path.GetTempPath(), $"ka-keyring-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "test-password"));
        // A database of its own: the shared one already holds a key written without the certificate.
        var fresh = new TestApp();
        try
        {
            WebApplicationFactory<Program> Node() => fresh.WithWebHostBuilder(b =>
            {
                b.UseSetting("DataProtection:CertificatePath", path);
                b.UseSetting("DataProtection:CertificatePassword", "test-password");
            });
            string sealedText;
            await using (var node = Node())
            {
                sealedText = node.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("robot token");
                await using var db = node.Services.GetRequiredService<Func<AppDb>>()();
                var keys = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync();
                Assert.NotEmpty(keys);
                Assert.All(keys, xml =>
                {
                    Assert.Contains("EncryptedXmlDecryptor", xml);
                    Assert.DoesNotContain("unencrypted", xml);
                });
            }
            await using (var other = Node())
                Assert.Equal("robot token", other.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
        }
        finally
        {
            await ((IAsyncLifetime)fresh).DisposeAsync();
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("evil")]
    [InlineData("")]
    public async Task CultureSet_RedirectOffSite_GoesHome(string redirectUri)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync($"/culture/set?culture=en&redirectUri={Uri.EscapeDataString(redirectUri)}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task CultureSet_LocalPath_GoesBackThere()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync($"/culture/set?culture=en&redirectUri={Uri.EscapeDataString("/accounts?page=2")}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/accounts?page=2", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
    }
}
