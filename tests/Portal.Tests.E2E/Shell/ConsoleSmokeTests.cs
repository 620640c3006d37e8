using Microsoft.Playwright;
using Portal.Testing;

namespace Portal.Tests.E2E.Shell;

/// <summary>
/// The canary for Blazor's script: it comes from another .NET version (see registry notes), so
/// this proves the circuit connects and interactive navigation works end to end.
/// </summary>
public sealed class ConsoleSmokeTests(PortalWebServer portal, Browser browser) : IClassFixture<PortalWebServer>
{
    private async Task<IPage> SignedInPageAsync(string email)
    {
        var scenario = new PortalScenario(portal);
        var user = await scenario.UserAsync(email);
        await scenario.TenantAsync(user, email.Split('@')[0]);
        var page = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(page, portal.BaseUrl, email);
        return page;
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in_and_back()
    {
        var scenario = new PortalScenario(portal);
        await scenario.UserAsync("returning@example.test");
        var page = await browser.NewPageAsync();

        await page.GotoAsync(portal.BaseUrl + "/actors");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GetByLabel("E-mail").FillAsync("returning@example.test");
        await page.GetByLabel("Password").FillAsync("wrong password here");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync("not right");

        await page.GetByLabel("Password").FillAsync(PortalScenario.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(portal.BaseUrl + "/actors");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_one()
    {
        var scenario = new PortalScenario(portal);
        await scenario.UserAsync("locked@example.test");
        var page = await browser.NewPageAsync();
        await page.GotoAsync(portal.BaseUrl + "/account/login");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await page.GetByLabel("E-mail").FillAsync("locked@example.test");
            await page.GetByLabel("Password").FillAsync($"wrong password {attempt}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("login-error")).ToBeVisibleAsync();
        }

        await page.GetByLabel("E-mail").FillAsync("locked@example.test");
        await page.GetByLabel("Password").FillAsync(PortalScenario.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync("locked");
    }

    [Fact]
    public async Task The_console_loads_connects_its_circuit_and_navigates()
    {
        // The browser's console is captured from the page's creation, sign-in included.
        var page = await SignedInPageAsync("smoke@example.test");
        await Assertions.Expect(page.GetByTestId("tenant-switcher")).ToContainTextAsync("SMOKE");
        await page.GetByRole(AriaRole.Link, new() { Name = "Actors" }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(portal.BaseUrl + "/actors");
        await Assertions.Expect(page.GetByText("No actors yet")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Topology" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Topology" })).ToBeVisibleAsync();

        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "console-shell.png"), FullPage = true });

        await page.GetByTestId("user-menu").ClickAsync();
        await page.GetByText("Sign out").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GotoAsync(portal.BaseUrl + "/actors");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        Assert.DoesNotContain(Browser.ConsoleOf(page), e => (e.StartsWith("error:") || e.StartsWith("page error:")) && !e.Contains("favicon", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Choosing_dark_theme_is_remembered_across_reloads_and_browsers()
    {
        var page = await SignedInPageAsync("theme@example.test");
        await page.Locator("[data-testid=theme-switcher] [title=Dark]").ClickAsync();
        await Assertions.Expect(page.Locator("link[href*='material-dark']")).ToHaveCountAsync(1);

        await page.ReloadAsync();
        await ConsoleLogin.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("link[href*='material-dark']")).ToHaveCountAsync(1);

        // Another browser (no theme cookie) picks the choice up from the account.
        var elsewhere = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(elsewhere, portal.BaseUrl, "theme@example.test");
        await Assertions.Expect(elsewhere.Locator("link[href*='material-dark']")).ToHaveCountAsync(1);
    }
}
