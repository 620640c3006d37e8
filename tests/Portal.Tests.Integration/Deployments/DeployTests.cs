using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Lattice.Manifests;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Deployments;

/// <summary>
/// Deploy for real, through the REST API only: the portal's reconciler turns a manifest into
/// commands on our hosts, the wasm answers HTTP, the status and timeline say so, an upgrade and an
/// undeploy clean up after themselves, and plan tells what a deploy would do.
/// </summary>
[Collection(DeploymentLatticeCollection.Name)]
public sealed class DeployTests(DeploymentLatticeFixture lattice)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Apps => $"/api/v1/tenants/{DeploymentLatticeFixture.Slug}/applications";

    /// <summary>hello spread over zones a and b (the HTTP server, which serves components on its own host, in zone a).</summary>
    private static string Manifest(string app, string version, string image, int port, string spreads = "zone-a:a,zone-b:b", int instances = 2) => $$"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: {{app}}
          annotations:
            version: "{{version}}"
        spec:
          components:
            - name: hello
              type: component
              properties:
                image: {{image}}
              traits:
                - type: spreadscaler
                  properties:
                    instances: {{instances}}
                    spread:
        {{Spreads(spreads)}}
            - name: httpserver
              type: capability
              properties:
                image: wasmcloud+builtin://http-server
              traits:
                - type: spreadscaler
                  properties:
                    instances: 1
                    spread:
                      - name: front
                        requirements:
                          zone: a
                - type: link
                  properties:
                    target:
                      name: hello
                    namespace: wasi
                    package: http
                    interfaces: [incoming-handler]
                    source:
                      config:
                        - name: listen
                          properties:
                            address: 127.0.0.1:{{port}}
        """;

    /// <summary>"name:zone,…" as YAML spread entries at the manifest's indentation.</summary>
    private static string Spreads(string spreads) => string.Join("\n", spreads.Split(',').Select(x => x.Split(':'))
        .Select(x => $"                  - name: {x[0]}\n                    requirements:\n                      zone: {x[1]}"));

    private async Task PutAsync(string manifest)
    {
        var response = await lattice.Api.PostAsync(Apps, new StringContent(manifest, Encoding.UTF8, "application/yaml"), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<JsonElement> PostAsync(string app, string action, object body)
    {
        var response = await lattice.Api.PostAsJsonAsync($"{Apps}/{app}/{action}", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> DevStatusAsync(string app)
    {
        var status = await lattice.Api.GetFromJsonAsync<JsonElement>($"{Apps}/{app}/status", Ct);
        return status.GetProperty("lattices").EnumerateArray().Single(d => d.GetProperty("lattice").GetString() == "dev");
    }

    private async Task<JsonElement> WaitForStatusAsync(string app, string type, Func<JsonElement, bool>? also = null, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement last;
        do
        {
            last = await DevStatusAsync(app);
            if (TypeOf(last) == type && (also?.Invoke(last) ?? true)) return last;
            await Task.Delay(250, Ct);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{app} did not become {type}: {last}");
        return last;
    }

    /// <summary>wadm's aggregate word of one lattice's status.</summary>
    private static string? TypeOf(JsonElement latticeStatus) => latticeStatus.GetProperty("status").GetProperty("status").GetProperty("type").GetString();

    private static IEnumerable<JsonElement> ScalersOf(JsonElement latticeStatus) => latticeStatus.GetProperty("status").GetProperty("scalers").EnumerateArray();

    private static async Task<string> GetWhenListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync($"http://127.0.0.1:{port}/", Ct);
                if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline) return await response.Content.ReadAsStringAsync(Ct);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet: the link reaches the provider through the lattice store.
            }

            await Task.Delay(100, Ct);
        }
    }

    private async Task<bool> LatticeIsCleanAsync(string app)
    {
        var id = ManifestNames.ComponentId(app, "hello");
        var server = ManifestNames.ComponentId(app, "httpserver");
        var links = (await lattice.Client.GetLinksAsync(Ct)).Response ?? [];
        var config = (await lattice.Client.GetConfigAsync(ManifestNames.OwnedConfigName(app, "listen"), Ct)).Response;
        return lattice.Hosts.All(h => !h.Components.IsRunning(id) && !h.Providers.IsRunning(server))
               && !links.Any(l => l.SourceId == server) && (config is null || config.Count == 0);
    }

    [Fact]
    public async Task Deploy_serves_the_wasm_across_two_zones_then_upgrade_and_undeploy_clean_up()
    {
        const string app = "web";
        var port = FreePort.Next();
        await PutAsync(Manifest(app, "1", lattice.ImageRef("1"), port));
        var deployed = await PostAsync(app, "deploy", new { lattice = "dev", version = "1" });
        Assert.Equal("deployed", deployed.GetProperty("deployment").GetProperty("desiredState").GetString());

        var status = await WaitForStatusAsync(app, "deployed");
        Assert.Contains(ScalersOf(status), s => s.GetProperty("kind").GetString() == "LinkScaler");
        Assert.Equal("Hello from wasm\n", await GetWhenListeningAsync(port));
        var id = ManifestNames.ComponentId(app, "hello");
        Assert.True(lattice.Hosts[0].Components.IsRunning(id), "zone a runs the zone-a spread");
        Assert.True(lattice.Hosts.Skip(1).Any(h => h.Components.IsRunning(id)), "a zone-b host runs the zone-b spread");

        // The timeline: the person's deploy, the reconciler's commands and the status change.
        var events = await lattice.Api.GetFromJsonAsync<JsonElement>($"{Apps}/{app}/events?lattice=dev&limit=200", Ct);
        var kinds = events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains("deployed", kinds);
        Assert.Contains("command-sent", kinds);
        Assert.Contains("status-changed", kinds);
        var scalersV1 = ScalersOf(status).Select(s => s.GetProperty("id").GetString()).ToHashSet();

        // Version 2: another image tag (a new spread scaler), one instance in zone b only. The old
        // scaler's instance in zone a goes; the wasm keeps answering.
        await PutAsync(Manifest(app, "2", lattice.ImageRef("2"), port, spreads: "zone-b:b", instances: 1));
        await PostAsync(app, "deploy", new { lattice = "dev", version = "2" });
        var upgraded = await WaitForStatusAsync(app, "deployed", s => s.GetProperty("version").GetString() == "2"
            && ScalersOf(s).Any(x => !scalersV1.Contains(x.GetProperty("id").GetString())));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (lattice.Hosts[0].Components.IsRunning(id) && DateTime.UtcNow < deadline) await Task.Delay(200, Ct);
        Assert.False(lattice.Hosts[0].Components.IsRunning(id), "the old version's zone-a instance was cleaned up");
        // The status lists only version 2's component scaler now.
        Assert.Single(ScalersOf(upgraded), s => s.GetProperty("kind").GetString() == "SpreadScaler" && s.GetProperty("name").GetString() == id);
        Assert.DoesNotContain(ScalersOf(upgraded), s => s.GetProperty("name").GetString() == id && scalersV1.Contains(s.GetProperty("id").GetString()));

        // Undeploy: everything the app put into the lattice goes.
        await PostAsync(app, "undeploy", new { lattice = "dev" });
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await LatticeIsCleanAsync(app) && DateTime.UtcNow < deadline) await Task.Delay(250, Ct);
        Assert.True(await LatticeIsCleanAsync(app), "no component, provider, link or config of the app is left");
        Assert.Equal("undeployed", TypeOf(await DevStatusAsync(app)));
    }

    [Fact]
    public async Task Plan_describes_real_commands_and_a_spread_no_host_matches()
    {
        const string app = "planned";
        await PutAsync(Manifest(app, "1", lattice.ImageRef("1"), FreePort.Next()));
        var plan = await PostAsync(app, "plan", new { lattice = "dev", version = "1" });
        var descriptions = plan.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("description").GetString()!).ToList();
        Assert.Contains(descriptions, d => d.StartsWith($"Scale {ManifestNames.ComponentId(app, "hello")} to 1 on host", StringComparison.Ordinal) && d.Contains("(zone=a)"));
        Assert.Contains(descriptions, d => d.StartsWith("Start provider", StringComparison.Ordinal));
        Assert.Contains(descriptions, d => d.StartsWith("Write config", StringComparison.Ordinal));
        // The link waits for its config on a real pass; the plan still lists it.
        Assert.Contains(descriptions, d => d.StartsWith("Link ", StringComparison.Ordinal) && d.Contains("wasi:http/incoming-handler"));
        Assert.Empty(plan.GetProperty("problems").EnumerateArray());
        Assert.Equal("reconciler", plan.GetProperty("planner").GetString());

        await PutAsync(Manifest(app, "2", lattice.ImageRef("1"), FreePort.Next(), spreads: "east:us-east-1"));
        var impossible = await PostAsync(app, "plan", new { lattice = "dev", version = "2" });
        Assert.Contains(impossible.GetProperty("problems").EnumerateArray(),
            p => p.GetProperty("message").GetString()!.StartsWith("No host matches spread east (zone=us-east-1)", StringComparison.Ordinal));

        // Planning sent nothing.
        Assert.True(await LatticeIsCleanAsync(app));
    }
}
