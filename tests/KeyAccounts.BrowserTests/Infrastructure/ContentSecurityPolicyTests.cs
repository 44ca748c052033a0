using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Infrastructure;

/// <summary>The app's pages work under its Content Security Policy (SecurityHeaders.cs) and the browser reports no violation.</summary>
public sealed class ContentSecurityPolicyTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task SignInAndCreateAnAccount_UnderThePolicy_NoViolation()
    {
        var violations = new List<string>();
        Page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add(m.Text);
        };
        // Every document of the page records what the policy blocked; a navigation starts a new record, so the console is watched as well.
        await Page.Context.AddInitScriptAsync(
            "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");

        var login = await Page.GotoAsync("/account/login");
        Assert.Contains("frame-ancestors 'none'", (await login!.AllHeadersAsync())["content-security-policy"]);
        await SignInAsync("rep", returnUrl: "/accounts");

        var code = AppServer.Unique("CSP");
        await Page.GetByTestId("new-account").ClickAsync();
        await Field(Page, "new-account-code").FillAsync(code);
        await Field(Page, "new-account-name").FillAsync($"杭州{code}安全策略有限公司");
        await Page.GetByTestId("new-account-save").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex(@"/accounts/\d+$"));
        await Expect(Page.GetByTestId("account-header").GetByTestId("account-code")).ToHaveTextAsync(code);

        var recorded = await Page.EvaluateAsync<string[]>("window.__cspViolations");
        Assert.Empty(recorded);
        lock (violations) Assert.Empty(violations);
    }
}
