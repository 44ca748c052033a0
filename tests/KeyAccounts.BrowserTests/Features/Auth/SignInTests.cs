using KeyAccounts.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace KeyAccounts.BrowserTests.Features.Auth;

public sealed class SignInTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndStaysOnLoginForm()
    {
        await Page.GotoAsync("/account/login");
        await Page.GetByTestId("login-username").FillAsync("rep");
        await Page.GetByTestId("login-password").FillAsync("not-the-password");
        await Page.GetByTestId("login-submit").ClickAsync();

        await Expect(Page.GetByTestId("login-error")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("login-error")).ToHaveTextAsync("用户名或密码错误。");
        Assert.StartsWith("/account/login", new Uri(Page.Url).AbsolutePath);
    }

    [Fact]
    public async Task SignIn_RightPassword_LandsOnHomePage()
    {
        await SignInAsync("rep");

        Assert.Equal("/", new Uri(Page.Url).AbsolutePath);
        await Expect(Page.GetByTestId("home-page")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task OpenPage_NotSignedIn_RedirectsToLoginAndBackAfterwards()
    {
        await Page.GotoAsync("/account/password");
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");

        await Page.GetByTestId("login-username").FillAsync("rep2");
        await Page.GetByTestId("login-password").FillAsync(Password);
        await Page.GetByTestId("login-submit").ClickAsync();

        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/password");
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("save-password")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignOut_FromUserMenu_ReturnsToLoginAndPagesNeedSignInAgain()
    {
        await SignInAsync("engineer");

        await Page.GetByTestId("user-menu").ClickAsync();
        await Page.GetByTestId("sign-out").ClickAsync();

        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
        await Page.GotoAsync("/");
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
        await Expect(Page.GetByTestId("login-submit")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ChangePassword_ThenSignInWithTheNewOne_Works()
    {
        var userName = AppServer.Unique("pw").ToLowerInvariant();
        await App.CreateUserAsync(userName, ["Rep"], App.EastTeamId);
        await SignInAsync(userName, returnUrl: "/account/password");

        await Field(Page, "current-password").FillAsync("wrong-current");
        await Field(Page, "new-password").FillAsync("NewPassw0rd!");
        await Page.GetByTestId("save-password").ClickAsync();
        // The server's reason (Identity's "Incorrect password.") in the user's language.
        await Expect(Page.Locator(".mud-alert").First).ToContainTextAsync("当前密码不正确。");

        await Field(Page, "current-password").FillAsync(Password);
        await Field(Page, "new-password").FillAsync("NewPassw0rd!");
        await Page.GetByTestId("save-password").ClickAsync();
        await Expect(Page.Locator(".mud-snackbar")).ToContainTextAsync("密码已修改");

        var fresh = await NewPageAsync();
        await fresh.GotoAsync("/account/login");
        await fresh.GetByTestId("login-username").FillAsync(userName);
        await fresh.GetByTestId("login-password").FillAsync(Password);
        await fresh.GetByTestId("login-submit").ClickAsync();
        await Expect(fresh.GetByTestId("login-error")).ToBeVisibleAsync();

        await SignInAsync(userName, "NewPassw0rd!", fresh);
        Assert.Equal("/", new Uri(fresh.Url).AbsolutePath);
    }
}
