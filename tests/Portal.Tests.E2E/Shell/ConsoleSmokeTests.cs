using Microsoft.Playwright;
using Portal.Testing;

namespace Portal.Tests.E2E.Shell;

/// <summary>
/// The canary for Blazor's script: it comes from another .NET version (see registry notes), so
/// this proves the circuit connects and interactive navigation works end to end.
/// </summary>
public sealed class ConsoleSmokeTests(PortalWebServer portal, Browser browser) : IClassFixture<PortalWebServer>
{
    [Fact]
    public async Task The_console_loads_connects_its_circuit_and_navigates()
    {
        var page = await browser.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };

        await page.GotoAsync(portal.BaseUrl);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();

        // Blazor reports a connected circuit by letting the interactive components respond.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.GetByRole(AriaRole.Link, new() { Name = "Actors" }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(portal.BaseUrl + "/actors");
        await Assertions.Expect(page.GetByText("No actors yet")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Topology" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Topology" })).ToBeVisibleAsync();

        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "console-shell.png"), FullPage = true });
        Assert.DoesNotContain(consoleErrors, e => !e.Contains("favicon", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Choosing_dark_theme_is_remembered_across_reloads()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(portal.BaseUrl);
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var darkButton = page.Locator("[data-testid=theme-switcher] [title=Dark]");
        await darkButton.ClickAsync();
        await Assertions.Expect(page.Locator("link[href*='material-dark']")).ToHaveCountAsync(1);

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("link[href*='material-dark']")).ToHaveCountAsync(1);
    }
}
