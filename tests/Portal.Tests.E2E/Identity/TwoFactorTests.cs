using Microsoft.Playwright;
using Portal.Testing;
using Portal.Testing.Identity;

namespace Portal.Tests.E2E.Identity;

public sealed class TwoFactorTests(PortalWebServer portal, Browser browser) : IClassFixture<PortalWebServer>
{
    [Fact]
    public async Task Turning_on_an_authenticator_makes_sign_in_ask_for_its_code()
    {
        var scenario = new PortalScenario(portal);
        var user = await scenario.UserAsync("totp@example.test");
        await scenario.TenantAsync(user, "totp");
        var page = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(page, portal.BaseUrl, "totp@example.test");

        await ConsoleLogin.OpenAsync(page, portal.BaseUrl + "/settings");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Security" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up authenticator" }).ClickAsync();
        var key = (await page.GetByTestId("authenticator-key").TextContentAsync())!;
        await page.GetByTestId("authenticator-code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and turn on" }).ClickAsync();
        var recovery = (await page.GetByTestId("recovery-codes").TextContentAsync())!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, recovery.Length);
        // The account's own history, on the same tab: turning two-factor on is recorded.
        await Assertions.Expect(page.GetByTestId("account-events")).ToContainTextAsync("2fa.enable");

        // A new browser: the password alone is no longer enough.
        var again = await browser.NewPageAsync();
        await again.GotoAsync(portal.BaseUrl + "/account/login");
        await again.GetByLabel("E-mail").FillAsync("totp@example.test");
        await again.GetByLabel("Password").FillAsync(PortalScenario.Password);
        await again.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(again.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in" })).ToBeVisibleAsync();

        await again.GetByLabel("Code").FillAsync("000000" == Totp.Code(key, DateTimeOffset.UtcNow) ? "111111" : "000000");
        await again.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(again.GetByRole(AriaRole.Alert)).ToContainTextAsync("not right");

        await again.GetByLabel("Code").FillAsync(recovery[0].Trim());
        await again.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(again.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
    }
}
