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
        await WaitInteractiveAsync(page);
    }

    /// <summary>Waits until the page's Blazor circuit is connected: typing before that is lost on re-render.</summary>
    public static async Task WaitInteractiveAsync(IPage page)
    {
        try
        {
            await page.Locator("body[data-interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{page.Url} never became interactive. Browser console:\n{string.Join("\n", Browser.ConsoleOf(page))}", e);
        }
    }

    /// <summary>Opens a console page and waits until it is live.</summary>
    public static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await WaitInteractiveAsync(page);
    }
}
