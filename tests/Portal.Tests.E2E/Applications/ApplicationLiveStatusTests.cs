using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Api.Deployments;
using Portal.Api.Lattices;
using Portal.Data.Applications;
using Portal.Testing;

namespace Portal.Tests.E2E.Applications;

/// <summary>A status the reconciler writes shows on the open pages at once, without a reload.</summary>
public sealed class ApplicationLiveStatusTests(PortalWebServer portal, Browser browser) : IClassFixture<PortalWebServer>
{
    private const string Manifest = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: shop
          annotations:
            version: v1
        spec:
          components:
            - name: hello
              type: component
              properties:
                image: ghcr.io/example/hello:1.0.0
              traits:
                - type: spreadscaler
                  properties:
                    instances: 1
        """;

    [Fact]
    public async Task The_status_badge_follows_what_the_reconciler_writes()
    {
        var scenario = new PortalScenario(portal);
        var user = await scenario.UserAsync("watcher@example.test");
        await scenario.TenantAsync(user, "live");
        var context = await scenario.ContextAsync("live", user);
        var lattice = await portal.WithScopeAsync(sp => sp.GetRequiredService<LatticeService>().CreateAsync(context, new CreateLatticeRequest("dev")));
        // Over REST, as a deploy script would: the request scopes the services to the tenant.
        var api = scenario.Client(await scenario.TokenAsync("live", user, "read", "write", "deploy"));
        var ct = TestContext.Current.CancellationToken;
        (await api.PostAsync("/api/v1/tenants/live/applications", new StringContent(Manifest, Encoding.UTF8, "application/yaml"), ct)).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/tenants/live/applications/shop/deploy", new { lattice = "dev" }, ct)).EnsureSuccessStatusCode();

        var page = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(page, portal.BaseUrl, "watcher@example.test");
        await ConsoleLogin.OpenAsync(page, portal.BaseUrl + "/applications/shop");
        var badge = page.GetByTestId("deployment").GetByTestId("status-badge").First;
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-status", "waiting");
        // A reload would drop this marker: the change must arrive over the open circuit.
        await page.EvaluateAsync("() => window.portalStayed = true");

        await WriteAsync(lattice.LatticeId, DeploymentStatusType.Deployed, "all scalers ready");
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-status", "deployed");
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync("all scalers ready");

        // The list follows too.
        await page.GetByRole(AriaRole.Link, new() { Name = "Applications" }).First.ClickAsync();
        var listed = page.GetByTestId("application-deployment").GetByTestId("status-badge");
        await Assertions.Expect(listed).ToHaveAttributeAsync("data-status", "deployed");
        await WriteAsync(lattice.LatticeId, DeploymentStatusType.Failed, "host lost");
        await Assertions.Expect(listed).ToHaveAttributeAsync("data-status", "failed");
        Assert.True(await page.EvaluateAsync<bool>("() => window.portalStayed === true"), "the page reloaded");
    }

    private Task<bool> WriteAsync(string latticeId, DeploymentStatusType type, string message) =>
        portal.WithScopeAsync(sp => sp.GetRequiredService<DeploymentStatusWriter>()
            .RecordStatusAsync(latticeId, "shop", new DeploymentStatusReport(type, message)));
}
