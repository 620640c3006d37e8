using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Testing.Actors;
using Portal.Testing.Processes;

namespace Portal.Tests.E2E.Topology;

/// <summary>
/// The topology page against a reconciling portal and our hosts: hosts appear, grey out and leave
/// as they start and die, a deploy's instances and link appear on their host, and the search box
/// marks what matches. Everything arrives over the open circuit; the tests read the canvas through
/// its test hook (window.portalTopologyGraphs) and wait for states, never for time.
/// </summary>
public sealed class TopologyPageTests(TopologyLattice lattice, Browser browser) : IClassFixture<TopologyLattice>
{
    private const string Graph = "window.portalTopologyGraphs?.topology";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_host_that_starts_appears_and_one_that_dies_greys_out_then_leaves()
    {
        var page = await OpenAsync();
        await Assertions.Expect(page.GetByTestId("topology-connection")).ToHaveAttributeAsync("data-state", "connected");
        // A reload would drop this marker: every change below must arrive over the open circuit.
        await page.EvaluateAsync("() => window.portalStayed = true");

        var host = await lattice.StartHostAsync(new() { ["zone"] = "appear" });
        var node = "h:" + host.HostId;
        await WaitForNodeAsync(page, node, "ok");
        Assert.Contains("zone=appear", await LabelOfAsync(page, node));

        // Killed: no host_stopped, the heartbeats just stop. Greyed out first, removed after the reap window.
        await host.AbortAsync();
        await WaitForNodeAsync(page, node, "stale");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "topology-stale-host.png") });
        await page.WaitForFunctionAsync($"(id) => !{Graph}.nodes().some(n => n.id === id)", node);
        Assert.True(await page.EvaluateAsync<bool>("() => window.portalStayed === true"), "the page reloaded");
    }

    [Fact]
    public async Task A_deploy_shows_its_instances_and_link_on_the_host_and_leaves_other_nodes_where_they_were()
    {
        var host = await lattice.StartHostAsync(new() { ["zone"] = "deploy" });
        var bystander = await lattice.StartHostAsync(new() { ["zone"] = "bystander" });
        var page = await OpenAsync();
        await WaitForNodeAsync(page, "h:" + host.HostId, "ok");
        await WaitForNodeAsync(page, "h:" + bystander.HostId, "ok");
        var before = await NodeAsync(page, "h:" + bystander.HostId);

        await DeployAsync("greeter", "deploy");
        var parent = "h:" + host.HostId;
        await page.WaitForFunctionAsync(
            $"(p) => {Graph}.nodes().some(n => n.parent === p && n.kind === 'component' && n.label.includes('2 instances'))", parent, new() { Timeout = 120_000 });
        await page.WaitForFunctionAsync($"(p) => {Graph}.nodes().some(n => n.parent === p && n.kind === 'provider')", parent, new() { Timeout = 120_000 });
        await page.WaitForFunctionAsync($"() => {Graph}.edges().some(e => e.label.includes('wasi:http/incoming-handler') && e.label.includes('default'))");
        await Assertions.Expect(page.GetByTestId("topology-counts")).ToContainTextAsync("2 actor instances");

        // The layout stays put: the host that had nothing to do with the deploy has not moved.
        var after = await NodeAsync(page, "h:" + bystander.HostId);
        Assert.Equal(before.GetProperty("position").GetProperty("x").GetDouble(), after.GetProperty("position").GetProperty("x").GetDouble(), 3);
        Assert.Equal(before.GetProperty("position").GetProperty("y").GetDouble(), after.GetProperty("position").GetProperty("y").GetDouble(), 3);

        // Clicking the actor opens its details: how many instances, and the application that manages it.
        var component = await page.EvaluateAsync<JsonElement>($"(p) => {Graph}.nodes().find(n => n.parent === p && n.kind === 'component')", parent);
        await page.GetByTestId("topology-graph").ScrollIntoViewIfNeededAsync();
        component = await NodeAsync(page, component.GetProperty("id").GetString()!);
        await page.Mouse.ClickAsync((float)component.GetProperty("x").GetDouble(), (float)component.GetProperty("y").GetDouble());
        var details = page.GetByTestId("topology-details");
        await Assertions.Expect(details).ToHaveAttributeAsync("data-kind", "component");
        await Assertions.Expect(details.GetByTestId("details-instances")).ToHaveTextAsync("2");
        await Assertions.Expect(details.GetByTestId("details-application")).ToHaveTextAsync("application greeter");
        await Assertions.Expect(details.GetByTestId("details-application")).ToHaveAttributeAsync("href", "applications/greeter");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "topology-deployed.png") });
    }

    [Fact]
    public async Task The_search_box_highlights_matches_and_dims_the_rest_and_grouping_by_label_boxes_hosts()
    {
        var east = await lattice.StartHostAsync(new() { ["zone"] = "search-east" });
        var west = await lattice.StartHostAsync(new() { ["zone"] = "search-west" });
        var page = await OpenAsync();
        await WaitForNodeAsync(page, "h:" + east.HostId, "ok");
        await WaitForNodeAsync(page, "h:" + west.HostId, "ok");

        await page.GetByTestId("topology-search").FillAsync("search-east");
        await Assertions.Expect(page.GetByTestId("topology-matches")).ToHaveTextAsync("1 match");
        await page.WaitForFunctionAsync($"([e, w]) => {{ const n = {Graph}.nodes(); return n.find(x => x.id === e)?.match && n.find(x => x.id === w)?.dimmed; }}",
            new[] { "h:" + east.HostId, "h:" + west.HostId });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ArtifactsDirectory, "topology-search.png") });

        // Cleared: nothing marked.
        await page.GetByTestId("topology-search").FillAsync("");
        await page.WaitForFunctionAsync($"() => !{Graph}.nodes().some(n => n.match || n.dimmed)");

        // Grouped by the zone label: each host sits in the box of its zone.
        await page.GetByTestId("topology-group").ClickAsync();
        await page.Locator(".rz-dropdown-item:visible", new() { HasText = "Group: label zone" }).First.ClickAsync();
        await page.WaitForFunctionAsync($"([h, g]) => {Graph}.nodes().some(n => n.id === h && n.parent === g)", new[] { "h:" + east.HostId, "g:zone=search-east" });
    }

    private async Task<IPage> OpenAsync()
    {
        var page = await browser.NewPageAsync();
        await ConsoleLogin.SignInAsync(page, lattice.Portal.BaseUrl, TopologyLattice.Email);
        // The tenant has one lattice: the Topology section goes straight to it.
        await ConsoleLogin.OpenAsync(page, lattice.Portal.BaseUrl + "/topology");
        await Assertions.Expect(page).ToHaveURLAsync(lattice.Portal.BaseUrl + "/lattices/dev/topology");
        await page.WaitForFunctionAsync($"() => !!{Graph}");
        await ConsoleLogin.WaitInteractiveAsync(page);
        return page;
    }

    private static Task WaitForNodeAsync(IPage page, string id, string state) =>
        page.WaitForFunctionAsync($"([id, s]) => {Graph}.nodes().some(n => n.id === id && n.state === s)", new[] { id, state });

    private static async Task<JsonElement> NodeAsync(IPage page, string id) =>
        await page.EvaluateAsync<JsonElement>($"(id) => {Graph}.nodes().find(n => n.id === id)", id);

    private static async Task<string> LabelOfAsync(IPage page, string id) => (await NodeAsync(page, id)).GetProperty("label").GetString()!;

    /// <summary>Uploads the hello actor and deploys it (2 instances) with the built-in HTTP server, both on the hosts of one zone, linked.</summary>
    private async Task DeployAsync(string app, string zone)
    {
        var api = lattice.Api;
        var wasm = new ByteArrayContent(await ActorBuilder.CgiModuleAsync("hello", Ct));
        wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var upload = await api.PostAsync($"/api/v1/tenants/{TopologyLattice.Slug}/artifacts?name={app}-hello&tag=1.0.0", wasm, Ct);
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync(Ct));
        var registry = new Uri(lattice.Portal.BaseUrl).Authority;
        var manifest = $$"""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata:
              name: {{app}}
              annotations:
                version: v1
            spec:
              components:
                - name: hello
                  type: component
                  properties:
                    image: {{registry}}/{{TopologyLattice.Slug}}/{{app}}-hello:1.0.0
                  traits:
                    - type: spreadscaler
                      properties:
                        instances: 2
                        spread:
                          - name: here
                            requirements:
                              zone: {{zone}}
                - name: httpserver
                  type: capability
                  properties:
                    image: wasmcloud+builtin://http-server
                  traits:
                    - type: spreadscaler
                      properties:
                        instances: 1
                        spread:
                          - name: here
                            requirements:
                              zone: {{zone}}
                    - type: link
                      properties:
                        namespace: wasi
                        package: http
                        interfaces: [incoming-handler]
                        target:
                          name: hello
                        source:
                          config:
                            - name: {{app}}-listen
                              properties:
                                address: 127.0.0.1:{{FreePort.Next()}}
            """;
        var created = await api.PostAsync($"/api/v1/tenants/{TopologyLattice.Slug}/applications", new StringContent(manifest, Encoding.UTF8, "application/yaml"), Ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        var deployed = await api.PostAsJsonAsync($"/api/v1/tenants/{TopologyLattice.Slug}/applications/{app}/deploy", new { lattice = "dev" }, Ct);
        Assert.True(deployed.IsSuccessStatusCode, await deployed.Content.ReadAsStringAsync(Ct));
    }
}
