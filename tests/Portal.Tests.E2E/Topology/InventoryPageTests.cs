using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Portal.Api.Lattices;
using Portal.Host;
using Portal.Host.Configuration;
using Portal.Testing;

namespace Portal.Tests.E2E.Topology;

/// <summary>The Hosts inventory against real hosts: they appear as they join (over the open circuit), the filter narrows the tables, and CSV holds the rows.</summary>
public sealed class InventoryPageTests(PortalWebServer portal, Browser browser) : IClassFixture<PortalWebServer>, IAsyncDisposable
{
    private readonly List<LatticeHost> _hosts = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<LatticeHost> StartHostAsync(string latticeId, string zone)
    {
        // The shared test nats-server does not enforce accounts: the host joins without a NATS user.
        var host = new LatticeHost(new HostOptions
        {
            NatsHost = "127.0.0.1", NatsPort = portal.Servers.Nats.Port, Lattice = latticeId, EngineWorkers = 1,
            HeartbeatInterval = TimeSpan.FromSeconds(1), Labels = new() { ["zone"] = zone },
        }, LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)));
        await host.StartAsync(Ct);
        _hosts.Add(host);
        return host;
    }

    [Fact]
    public async Task Hosts_appear_live_the_filter_narrows_and_csv_holds_the_rows()
    {
        var scenario = new PortalScenario(portal);
        var user = await scenario.UserAsync("inventory@example.test");
        await scenario.TenantAsync(user, "inventory");
        var context = await scenario.ContextAsync("inventory", user);
        var lattice = await portal.WithScopeAsync(sp => sp.GetRequiredService<LatticeService>().CreateAsync(context, new CreateLatticeRequest("dev")));
        var first = await StartHostAsync(lattice.LatticeId, "inv-a");

        var page = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(page, portal.BaseUrl, "inventory@example.test");
        await ConsoleLogin.OpenAsync(page, portal.BaseUrl + "/hosts");
        var grid = page.GetByTestId("hosts-grid");
        await Assertions.Expect(grid).ToContainTextAsync("zone=inv-a");
        await Assertions.Expect(page.GetByTestId("live-indicator")).ToContainTextAsync("Live");
        // A reload would drop this marker: the second host must arrive over the open circuit.
        await page.EvaluateAsync("() => window.portalStayed = true");

        var second = await StartHostAsync(lattice.LatticeId, "inv-b");
        await Assertions.Expect(grid).ToContainTextAsync("zone=inv-b");
        await Assertions.Expect(grid.GetByTestId("host-link")).ToHaveCountAsync(2);
        Assert.True(await page.EvaluateAsync<bool>("() => window.portalStayed === true"), "the page reloaded");

        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "hosts-inventory.png"), FullPage = true });

        var filter = page.GetByTestId("inventory-filter");
        await filter.FillAsync("inv-b");
        await Assertions.Expect(grid.GetByTestId("host-link")).ToHaveCountAsync(1);
        await Assertions.Expect(grid).Not.ToContainTextAsync("zone=inv-a");
        await filter.FillAsync("matches-no-host");
        await Assertions.Expect(grid.GetByTestId("host-link")).ToHaveCountAsync(0);
        await filter.FillAsync("");
        await Assertions.Expect(grid.GetByTestId("host-link")).ToHaveCountAsync(2);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").First.ClickAsync());
        Assert.Equal("dev-hosts.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), Ct);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("host_id,name,labels,", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(first.HostId + ",", StringComparison.Ordinal) && l.Contains("zone=inv-a", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(second.HostId + ",", StringComparison.Ordinal) && l.Contains("zone=inv-b", StringComparison.Ordinal));

        // The host's own page: labels added and removed through the control interface; hostcore.* read-only.
        await ConsoleLogin.OpenAsync(page, $"{portal.BaseUrl}/lattices/dev/hosts/{second.HostId}");
        var labels = page.GetByTestId("host-labels");
        await Assertions.Expect(labels).ToContainTextAsync("zone=inv-b");
        await page.GetByTestId("label-key").FillAsync("rack");
        await page.GetByTestId("label-value").FillAsync("r9");
        await page.GetByTestId("add-label").ClickAsync();
        await Assertions.Expect(labels).ToContainTextAsync("rack=r9");
        Assert.Equal("r9", second.Labels["rack"]);
        await Assertions.Expect(page.GetByTestId("host-events")).ToContainTextAsync("labels_changed");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "host-detail.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove rack" }).ClickAsync();
        await Assertions.Expect(labels).Not.ToContainTextAsync("rack=r9");
        await page.GetByTestId("label-key").FillAsync("hostcore.os");
        await page.GetByTestId("label-value").FillAsync("plan9");
        await page.GetByTestId("add-label").ClickAsync();
        await Assertions.Expect(page.Locator(".rz-notification")).ToContainTextAsync("set by the host itself");
        await Assertions.Expect(labels.GetByRole(AriaRole.Button, new() { Name = "Remove hostcore.os" })).ToHaveCountAsync(0);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            try
            {
                await host.DisposeAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // Already gone.
            }
        }
    }
}
