using Microsoft.Playwright;
using Portal.Testing;

namespace Portal.Tests.E2E;

/// <summary>Signs a person in through the real sign-in form, as they would.</summary>
public static class ConsoleLogin
{
    public static async Task SignInAsync(IPage page, string baseUrl, string email, string password = PortalScenario.Password)
    {
        await page.GotoAsync(baseUrl + "/account/login");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        // The console is interactive once Blazor's circuit is up.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
    }
}
