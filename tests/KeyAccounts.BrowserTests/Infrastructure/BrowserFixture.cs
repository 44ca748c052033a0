using Microsoft.Playwright;

namespace KeyAccounts.BrowserTests.Infrastructure;

/// <summary>One app process and one Debian chromium for the whole browser suite; every test gets its own context.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;
    private IBrowser? browser;
    private AppServer? app;

    public AppServer App => app ?? throw new InvalidOperationException("The app is not started.");
    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser is not started.");

    public async Task InitializeAsync()
    {
        var starting = AppServer.StartAsync();
        playwright = await Playwright.CreateAsync();
        // Never a downloaded browser: the system's chromium, with everything that would reach the network switched off.
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("KEYACCOUNTS_TEST_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        app = await starting;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        if (app is not null) await app.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
