using System.Reflection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KeyAccounts.BrowserTests.Infrastructure;

/// <summary>
/// A browser test: a fresh browser context (own cookies, desktop 1280×900, Chinese by default) and page per test,
/// a screenshot of every page it opened in screenshots/&lt;TestName&gt;.png at the end, helpers to sign in and to wait
/// for the Blazor circuit.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    public const string Password = AppServer.Password;
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly List<IBrowserContext> contexts = [];
    private readonly List<IPage> pages = [];
    private IPage? page;

    protected AppServer App => fixture.App;
    protected ITestOutputHelper Output => output;

    /// <summary>The test's main page; the one whose screenshot is named after the test.</summary>
    protected IPage Page => page ?? throw new InvalidOperationException("No page yet.");

    public virtual async Task InitializeAsync() => page = await NewPageAsync();

    /// <summary>A page in a new context: another browser profile, e.g. a second user editing the same record.</summary>
    protected async Task<IPage> NewPageAsync(ViewportSize? viewport = null, string locale = "zh-CN", string? timezoneId = null)
    {
        var phone = viewport is { Width: < 600 };
        var context = await fixture.Browser.NewContextAsync(new()
        {
            BaseURL = App.BaseUrl.ToString(),
            ViewportSize = viewport ?? Desktop,
            Locale = locale,
            TimezoneId = timezoneId,
            IsMobile = phone,
            HasTouch = phone,
        });
        context.SetDefaultTimeout(20_000);
        contexts.Add(context);
        var newPage = await context.NewPageAsync();
        newPage.Console += (_, m) =>
        {
            if (m.Type == "error") Log($"browser console: {m.Text}");
        };
        newPage.PageError += (_, e) => Log($"page error: {e}");
        newPage.RequestFailed += (_, r) => Log($"request failed: {r.Url} {r.Failure}");
        newPage.Response += (_, r) =>
        {
            if (r.Status >= 400) Log($"HTTP {r.Status}: {r.Url}");
        };
        pages.Add(newPage);
        return newPage;
    }

    /// <summary>Makes the test's main page a phone-sized one (390×844, touch).</summary>
    protected async Task<IPage> UsePhoneAsync()
    {
        if (page is not null)
        {
            pages.Remove(page);
            await page.Context.CloseAsync();
            contexts.Remove(page.Context);
        }
        page = await NewPageAsync(Phone);
        pages.Remove(page);
        pages.Insert(0, page);
        return page;
    }

    private void Log(string message)
    {
        try { output.WriteLine(message); }
        catch (InvalidOperationException) { /* the test has already finished */ }
    }

    /// <summary>Signs in through the form and waits until the page it lands on is interactive.</summary>
    protected async Task SignInAsync(string userName, string password = Password, IPage? on = null, string returnUrl = "/")
    {
        var p = on ?? Page;
        await p.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await p.GetByTestId("login-username").FillAsync(userName);
        await p.GetByTestId("login-password").FillAsync(password);
        await p.GetByTestId("login-submit").ClickAsync();
        await p.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/account/login", StringComparison.Ordinal));
        await WaitForInteractiveAsync(p);
    }

    /// <summary>Opens an app page and waits for its circuit; clicks before that would hit the prerendered HTML and be lost.</summary>
    protected async Task GotoAsync(string path, IPage? on = null)
    {
        var p = on ?? Page;
        await p.GotoAsync(path);
        await WaitForInteractiveAsync(p);
    }

    /// <summary>
    /// Clicks something that navigates (by a handler on the circuit, not a link) and waits for the page at <paramref name="path"/>.
    /// A click that reaches a table's row while the table is still being rendered again after loading can be lost (CI once waited
    /// 20 s for the inbox's "Open"); then the click is repeated — the handlers behind such buttons are safe to run twice.
    /// </summary>
    protected static async Task ClickToNavigateAsync(ILocator target, IPage p, string path)
    {
        bool Arrived() => new Uri(p.Url).AbsolutePath == path;
        for (var attempt = 1; ; attempt++)
        {
            await target.ClickAsync();
            try
            {
                await p.WaitForURLAsync(url => new Uri(url).AbsolutePath == path, new() { Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3 && !Arrived())
            {
            }
        }
    }

    /// <summary>The layout renders the "interactive" marker only once the Blazor circuit has taken over the page.</summary>
    protected static Task WaitForInteractiveAsync(IPage p) =>
        p.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>A text field by its data-testid, whether the id sits on the input itself or on a MudBlazor wrapper around it.</summary>
    protected static ILocator Field(IPage p, string testId) =>
        p.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input, [data-testid='{testId}'] textarea").First;

    /// <summary>Picks an option of a MudSelect (single or multi) by its visible text.</summary>
    protected static async Task SelectAsync(IPage p, string testId, params string[] options)
    {
        await p.GetByTestId(testId).ClickAsync();
        var popover = p.Locator(".mud-popover-open");
        foreach (var option in options)
            await popover.Locator(".mud-list-item").Filter(new() { HasText = option }).First.ClickAsync();
        if (options.Length > 1 || await popover.CountAsync() > 0)
            await p.Keyboard.PressAsync("Escape");
        await popover.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    public virtual async Task DisposeAsync()
    {
        var name = TestName();
        var directory = Path.Combine(AppServer.RepositoryRoot(), "tests", "KeyAccounts.BrowserTests", "screenshots");
        Directory.CreateDirectory(directory);
        for (var i = 0; i < pages.Count; i++)
        {
            if (pages[i].IsClosed) continue;
            try
            {
                await pages[i].ScreenshotAsync(new() { Path = Path.Combine(directory, i == 0 ? $"{name}.png" : $"{name}-{i + 1}.png"), FullPage = true });
            }
            catch (PlaywrightException e)
            {
                Log($"no screenshot: {e.Message}");
            }
        }
        foreach (var context in contexts) await context.CloseAsync();
    }

    /// <summary>xunit 2 hands the running test only to its output helper.</summary>
    private string TestName()
    {
        var test = output.GetType().GetField("test", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(output) as ITest;
        var name = test?.TestCase.TestMethod.Method.Name ?? GetType().Name + "-" + Guid.NewGuid().ToString("N")[..6];
        return string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' ? c : '_'));
    }
}
