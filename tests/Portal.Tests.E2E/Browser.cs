using Microsoft.Playwright;

namespace Portal.Tests.E2E;

/// <summary>Debian's Chromium driven by Playwright, launched once per test assembly.</summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Instance { get; private set; } = null!;

    /// <summary>Where screenshots are kept as test artifacts (under the test results folder).</summary>
    public static string ArtifactsDirectory
    {
        get
        {
            var dir = Path.Combine(Environment.GetEnvironmentVariable("PORTAL_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts"));
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        // The machines are shared and slow at times: waits are generous; none of them is a timing assertion.
        Assertions.SetDefaultExpectTimeout(20_000);
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            // The machines have no network: without these Chromium keeps trying to phone home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var log = ConsoleLogs.GetOrCreateValue(page);
        page.Console += (_, message) => { lock (log) log.Add($"{message.Type}: {message.Text}"); };
        page.PageError += (_, error) => { lock (log) log.Add($"page error: {error}"); };
        return page;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> ConsoleLogs = new();

    /// <summary>What the page wrote to its console, for failure messages.</summary>
    public static IReadOnlyList<string> ConsoleOf(IPage page)
    {
        var log = ConsoleLogs.GetOrCreateValue(page);
        lock (log) return log.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (Instance is not null) await Instance.DisposeAsync();
        _playwright?.Dispose();
    }
}
