using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Npgsql;
using Portal.Testing;

namespace Portal.Tests.E2E.Tenants;

/// <summary>
/// The Tenants journey as two people would live it: sign up, create a tenant, invite a colleague who
/// accepts, make a token and use it on the API, find it all on the Audit page, and catch a row
/// altered behind the portal's back.
/// </summary>
public sealed class TenantJourneyTests(PortalWebServer portal, Browser browser) : IClassFixture<PortalWebServer>
{
    private static async Task SignUpAsync(IPage page, string baseUrl, string name, string email)
    {
        await page.GotoAsync(baseUrl + "/account/register");
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password (12 characters or more)").FillAsync(PortalScenario.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await ConsoleLogin.WaitInteractiveAsync(page);
    }

    [Fact]
    public async Task Sign_up_create_invite_accept_token_audit_and_tamper_detection()
    {
        // Ada signs up and creates a tenant.
        var ada = await browser.NewPageAsync();
        await SignUpAsync(ada, portal.BaseUrl, "Ada", "ada@example.test");
        await ConsoleLogin.OpenAsync(ada, portal.BaseUrl + "/tenants/new");
        // The slug first: the page suggests one from the name while it is empty, and a suggestion
        // arriving while the test types would be typed into.
        await ada.GetByTestId("new-tenant-slug").FillAsync("acme-journey");
        await ada.GetByTestId("new-tenant-name").FillAsync("Acme Journey");
        await ada.GetByTestId("new-tenant-name").BlurAsync();
        await Assertions.Expect(ada.GetByTestId("new-tenant-slug")).ToHaveValueAsync("acme-journey");
        await ada.GetByTestId("create-tenant").ClickAsync();
        await Assertions.Expect(ada).ToHaveURLAsync(portal.BaseUrl + "/settings");
        await ConsoleLogin.WaitInteractiveAsync(ada);

        // She invites Grace.
        await ada.GetByRole(AriaRole.Tab, new() { Name = "Members" }).ClickAsync();
        await ada.GetByTestId("invite-email").FillAsync("grace@example.test");
        await ada.GetByTestId("invite").ClickAsync();
        var link = await ada.GetByTestId("invitation-link").TextContentAsync();
        Assert.Contains("/invitations/", link);

        // Grace signs up and accepts.
        var grace = await browser.NewPageAsync();
        await SignUpAsync(grace, portal.BaseUrl, "Grace", "grace@example.test");
        await ConsoleLogin.OpenAsync(grace, portal.BaseUrl + new Uri(link!).AbsolutePath);
        await grace.GetByTestId("accept-invitation").ClickAsync();
        await Assertions.Expect(grace.GetByTestId("tenant-switcher")).ToContainTextAsync("Acme Journey");

        // Ada makes a token and uses it on the REST API.
        await ada.ReloadAsync();
        await ConsoleLogin.WaitInteractiveAsync(ada);
        await ada.GetByRole(AriaRole.Tab, new() { Name = "API tokens" }).ClickAsync();
        await ada.GetByTestId("token-name").FillAsync("deploy script");
        await ada.GetByText("admin", new() { Exact = true }).ClickAsync();
        await ada.GetByTestId("create-token").ClickAsync();
        var token = await ada.GetByTestId("new-token").TextContentAsync();
        using var api = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.Trim());
        var created = await api.PostAsJsonAsync("/api/v1/tenants/acme-journey/lattices", new { name = "staging" }, TestContext.Current.CancellationToken);
        Assert.True(created.StatusCode == System.Net.HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        // Both show on the Audit page, and the chain verifies.
        await ConsoleLogin.OpenAsync(ada, portal.BaseUrl + "/audit");
        var grid = ada.GetByTestId("audit-grid");
        try
        {
            await Assertions.Expect(grid).ToContainTextAsync("invitation.accept");
        }
        catch (PlaywrightException e)
        {
            // Say what the page showed instead (a notification, an error banner), not only that rows were missing.
            var shown = await ada.Locator(".rz-notification, #blazor-error-ui").AllTextContentsAsync();
            throw new PlaywrightException($"{e.Message}\nPage notifications: {string.Join(" | ", shown)}\nBrowser console: {string.Join("\n", Browser.ConsoleOf(ada))}");
        }

        await Assertions.Expect(grid).ToContainTextAsync("lattice.create");
        await ada.GetByTestId("audit-verify").ClickAsync();
        await Assertions.Expect(ada.GetByTestId("audit-verification")).ToContainTextAsync("intact");

        // Someone with database access rewrites event 2; verification names it.
        await using (var connection = new NpgsqlConnection(portal.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await new NpgsqlCommand("""
                ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
                UPDATE audit_events SET "ActorName" = 'someone else' WHERE "Sequence" = 2 AND "TenantId" = (SELECT "Id" FROM tenants WHERE "Slug" = 'acme-journey');
                ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
                """, connection).ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await ada.GetByTestId("audit-verify").ClickAsync();
        await Assertions.Expect(ada.GetByTestId("audit-verification")).ToContainTextAsync("broken at event 2");
        await ada.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "audit-tampered.png"), FullPage = true });
    }
}
