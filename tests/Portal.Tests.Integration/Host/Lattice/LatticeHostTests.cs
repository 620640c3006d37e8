using System.Net;
using System.Text;
using System.Text.Json;
using Portal.Host.Identity;
using Portal.Lattice.Control;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>Two of our hosts in one lattice, driven only through the control interface (LatticeClient) and HTTP.</summary>
[Collection(HostLatticeCollection.Name)]
public sealed class LatticeHostTests(HostLatticeFixture lattice)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LatticeClient Client => lattice.Client;

    [Fact]
    public async Task Ping_returns_both_hosts_with_nkey_ids_labels_and_semver()
    {
        var hosts = await Client.PingHostsAsync(Ct);

        Assert.Equal(new[] { lattice.HostA.HostId, lattice.HostB.HostId }.Order(), hosts.Select(h => h.Id).Order());
        foreach (var host in hosts)
        {
            Assert.Equal(56, host.Id.Length);
            Assert.StartsWith("N", host.Id);
            Assert.True(NKeyEncoding.IsValidPublic(host.Id, NKeyEncoding.ServerPrefix));
            Assert.Equal(lattice.Lattice, host.Lattice);
            Assert.Equal("linux", host.Labels["hostcore.os"]);
            Assert.Equal("unix", host.Labels["hostcore.osfamily"]);
            Assert.Contains("hostcore.arch", host.Labels.Keys);
            Assert.Matches(@"^\d+\.\d+\.\d+", host.Version);
            Assert.NotEmpty(host.FriendlyName);
        }

        Assert.Equal("a", hosts.Single(h => h.Id == lattice.HostA.HostId).Labels["zone"]);
    }

    [Fact]
    public async Task Serves_a_cgi_module_and_a_wasi_http_component_behind_the_http_server_provider()
    {
        var (cgiPort, jsPort) = (FreePort.Next(), FreePort.Next());
        await ScaleAsync(lattice.HostA.HostId, "wire-echo", lattice.Images["echo"], 2);
        await ScaleAsync(lattice.HostB.HostId, "wire-js", lattice.Images["js"], 2);
        await ServeAsync(lattice.HostA.HostId, "http-a", "wire-echo", cgiPort);
        await ServeAsync(lattice.HostB.HostId, "http-b", "wire-js", jsPort);

        using var cgi = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{cgiPort}/orders/7?verbose=1")
        {
            Content = new ByteArrayContent("payload"u8.ToArray()),
            Headers = { { "X-Test", "cgi-header" } },
        });
        var cgiBody = await cgi.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Created, cgi.StatusCode);
        Assert.Equal("POST", Header(cgi, "X-Method"));
        Assert.Equal("/orders/7", Header(cgi, "X-Path"));
        Assert.Equal("verbose=1", Header(cgi, "X-Query"));
        Assert.Equal("cgi-header", Header(cgi, "X-Test-Header"));
        Assert.EndsWith("payload", cgiBody);

        using var js = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, $"http://127.0.0.1:{jsPort}/items?id=3")
        {
            Content = new ByteArrayContent(new byte[1000]),
            Headers = { { "X-Test", "js-header" } },
        });
        Assert.Equal(HttpStatusCode.Accepted, js.StatusCode);
        Assert.Equal("js", Header(js, "x-actor"));
        Assert.Equal("hello from js: PUT /items?id=3 x-test=js-header body=1000", await js.Content.ReadAsStringAsync(Ct));

        // The provider answers its health subject, and the host reports the check.
        var health = await lattice.Connection.RequestAsync($"wasmbus.rpc.{lattice.Lattice}.http-a.health", cancellationToken: Ct);
        Assert.Equal("{\"healthy\":true}", Encoding.UTF8.GetString(health.Data.Span));
        await lattice.Events.WaitAsync(LatticeEvents.HealthCheckPassed, d => d.GetProperty("provider_id").GetString() == "http-a", cancellationToken: Ct);

        // Inventories report what runs where, with the cap as max_instances.
        var inventory = (await Client.GetHostInventoryAsync(lattice.HostA.HostId, Ct)).Response!;
        Assert.Equal(2u, inventory.Components.Single(c => c.Id == "wire-echo").MaxInstances);
        Assert.Contains(inventory.Providers, p => p.Id == "http-a" && p.ImageRef == "wasmcloud+builtin://http-server");
    }

    [Fact]
    public async Task A_link_put_through_one_host_is_returned_by_link_get_through_the_other()
    {
        await Client.PutConfigAsync("shared-cfg", new Dictionary<string, string> { ["address"] = "127.0.0.1:1" }, Ct);
        var link = new Link
        {
            SourceId = "shared-src", Target = "shared-target", WitNamespace = "wasi", WitPackage = "keyvalue",
            Interfaces = ["store"], SourceConfig = ["shared-cfg"],
        };
        // Records with lists compare lists by reference: compare what identifies the link and its lists' contents.
        bool Same(Link l) => (l.SourceId, l.Target, l.Name, l.WitNamespace, l.WitPackage) == (link.SourceId, link.Target, link.Name, link.WitNamespace, link.WitPackage)
            && l.Interfaces.SequenceEqual(link.Interfaces) && l.SourceConfig.SequenceEqual(link.SourceConfig);
        var put = await Client.PutLinkAsync(link, Ct);
        Assert.True(put.Success, put.Message);
        Assert.Equal("successfully set link", put.Message);

        // Whichever host answered the put (queue group), both hold the link from the shared bucket ...
        await EventuallyAsync(() => lattice.HostA.Store.Links.Any(Same) && lattice.HostB.Store.Links.Any(Same));
        // ... and every link.get (answered by either host) returns it.
        for (var i = 0; i < 6; i++)
        {
            var links = await Client.GetLinksAsync(Ct);
            Assert.Contains(links.Response!, Same);
        }

        // A second target for the same identity and interface is refused; deleting works through any host.
        var conflict = await Client.PutLinkAsync(link with { Target = "other" }, Ct);
        Assert.False(conflict.Success);
        Assert.StartsWith("link already exists with different target", conflict.Message);
        var missingConfig = await Client.PutLinkAsync(link with { Name = "other", SourceConfig = ["nope"] }, Ct);
        Assert.Equal("Configuration nope not found in config store", missingConfig.Message);
        var deleted = await Client.DeleteLinkAsync(new DeleteLinkRequest { SourceId = "shared-src", WitNamespace = "wasi", WitPackage = "keyvalue" }, Ct);
        Assert.Equal("successfully deleted link", deleted.Message);
        await EventuallyAsync(() => !lattice.HostA.Store.Links.Any(Same) && !lattice.HostB.Store.Links.Any(Same));
        await lattice.Events.WaitAsync(LatticeEvents.LinkdefDeleted, d => d.GetProperty("source_id").GetString() == "shared-src", cancellationToken: Ct);
    }

    [Fact]
    public async Task Scale_to_zero_stops_the_component_and_emits_component_scaled_with_zero()
    {
        var port = FreePort.Next();
        await ScaleAsync(lattice.HostA.HostId, "wire-hello", lattice.Images["hello"], 1);
        await ServeAsync(lattice.HostA.HostId, "http-zero", "wire-hello", port);
        using (var ok = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/")))
        {
            Assert.Equal("Hello from wasm\n", await ok.Content.ReadAsStringAsync(Ct));
        }

        var reply = await Client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = "wire-hello", ComponentRef = lattice.Images["hello"], MaxInstances = 0, HostId = lattice.HostA.HostId }, Ct);
        Assert.True(reply.Success);
        var scaled = await lattice.Events.WaitAsync(LatticeEvents.ComponentScaled,
            d => d.GetProperty("component_id").GetString() == "wire-hello" && d.GetProperty("max_instances").GetUInt32() == 0, cancellationToken: Ct);
        Assert.Equal(lattice.HostA.HostId, scaled.Source);

        using var gone = await Http.GetAsync($"http://127.0.0.1:{port}/", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
        Assert.Contains("wire-hello is not running", await gone.Content.ReadAsStringAsync(Ct));
        var inventory = (await Client.GetHostInventoryAsync(lattice.HostA.HostId, Ct)).Response!;
        Assert.DoesNotContain(inventory.Components, c => c.Id == "wire-hello");
    }

    [Fact]
    public async Task A_trapping_and_a_looping_actor_answer_500_and_the_host_keeps_serving()
    {
        var (trapPort, loopPort, okPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        await ScaleAsync(lattice.HostB.HostId, "wire-trap", lattice.Images["trap"], 1);
        await ScaleAsync(lattice.HostB.HostId, "wire-loop", lattice.Images["loop"], 1, new() { ["max_execution_time_ms"] = "500" });
        await ScaleAsync(lattice.HostB.HostId, "wire-ok", lattice.Images["hello"], 1);
        await ServeAsync(lattice.HostB.HostId, "http-trap", "wire-trap", trapPort);
        await ServeAsync(lattice.HostB.HostId, "http-loop", "wire-loop", loopPort);
        await ServeAsync(lattice.HostB.HostId, "http-ok", "wire-ok", okPort);

        using var trap = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{trapPort}/"), expectReady: false);
        Assert.Equal(HttpStatusCode.InternalServerError, trap.StatusCode);
        using var loop = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{loopPort}/"), expectReady: false);
        Assert.Equal(HttpStatusCode.InternalServerError, loop.StatusCode);
        for (var i = 0; i < 3; i++)
        {
            using var ok = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{okPort}/"));
            Assert.Equal("Hello from wasm\n", await ok.Content.ReadAsStringAsync(Ct));
        }

        Assert.Contains(lattice.HostB.HostId, (await Client.PingHostsAsync(Ct)).Select(h => h.Id));
    }

    [Fact]
    public async Task Answers_labels_config_host_get_and_unknown_subjects_as_a_1x_host()
    {
        var host = lattice.HostB.HostId;
        Assert.Equal("successfully put label", (await Client.PutLabelAsync(host, "tier", "gold", Ct)).Message);
        var changed = await lattice.Events.WaitAsync(LatticeEvents.LabelsChanged, d => d.GetProperty("labels").TryGetProperty("tier", out _), cancellationToken: Ct);
        Assert.Equal(host, changed.Source);
        Assert.Equal("hostcore.* labels cannot be set dynamically", (await Client.PutLabelAsync(host, "hostcore.os", "x", Ct)).Message);
        Assert.Equal("successfully deleted label", (await Client.DeleteLabelAsync(host, "tier", Ct)).Message);
        Assert.Equal("successfully deleted label (no such label)", (await Client.DeleteLabelAsync(host, "tier", Ct)).Message);

        Assert.Equal("successfully put config", (await Client.PutConfigAsync("cfg-x", new Dictionary<string, string> { ["k"] = "v" }, Ct)).Message);
        Assert.Equal("v", (await Client.GetConfigAsync("cfg-x", Ct)).Response!["k"]);
        Assert.Equal("successfully deleted config", (await Client.DeleteConfigAsync("cfg-x", Ct)).Message);
        var missing = await Client.GetConfigAsync("cfg-x", Ct);
        Assert.True(missing.Success);
        Assert.Equal("Configuration not found", missing.Message);
        Assert.Null(missing.Response);

        var badScale = await lattice.Connection.RequestAsync(Client.Subjects.ComponentScale(host), "{\"count\":1}"u8.ToArray(), cancellationToken: Ct);
        Assert.Equal("{\"success\":false,\"message\":\"failed to deserialize component scale command\"}", Encoding.UTF8.GetString(badScale.Data.Span));
        var unknown = await lattice.Connection.RequestAsync($"{Client.Subjects.Root}.host.dance.{host}", cancellationToken: Ct);
        Assert.Equal("{\"success\":false,\"message\":\"unsupported subject\"}", Encoding.UTF8.GetString(unknown.Data.Span));
        var heartbeat = await lattice.Events.WaitAsync(LatticeEvents.HostHeartbeat, d => d.GetProperty("host_id").GetString() == host, cancellationToken: Ct);
        Assert.Equal(host, heartbeat.Source);
    }

    [Fact]
    public async Task Max_instances_caps_concurrent_executions_on_the_host()
    {
        var port = FreePort.Next();
        // The looping actor holds its slot until the 300 ms limit stops it: easy to count overlaps.
        await ScaleAsync(lattice.HostA.HostId, "wire-capped", lattice.Images["loop"], 2, new() { ["max_execution_time_ms"] = "300" });
        await ServeAsync(lattice.HostA.HostId, "http-capped", "wire-capped", port);
        using (await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/"), expectReady: false)) { }

        var started = DateTime.UtcNow;
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Http.GetAsync($"http://127.0.0.1:{port}/", Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode));
        Assert.Equal(2, lattice.HostA.Engine.Executions("wire-capped").Peak);
        // Six 300 ms executions, two at a time: at least three rounds.
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(850), $"took only {DateTime.UtcNow - started}");
    }

    [Fact]
    public async Task Auctions_are_answered_only_by_matching_hosts_and_update_swaps_the_image()
    {
        var acks = await Client.AuctionComponentAsync(new ComponentAuctionRequest { ComponentId = "auctioned", ComponentRef = "x", Constraints = new() { ["zone"] = "a" } }, Ct);
        Assert.Equal([lattice.HostA.HostId], acks.Select(a => a.HostId));
        var none = await Client.AuctionProviderAsync(new ProviderAuctionRequest { ProviderId = "p", ProviderRef = "x", Constraints = new() { ["zone"] = "mars" } }, Ct);
        Assert.Empty(none);

        await ScaleAsync(lattice.HostA.HostId, "wire-upd", lattice.Images["hello"], 1);
        var update = await Client.UpdateComponentAsync(new UpdateComponentCommand { HostId = lattice.HostA.HostId, ComponentId = "wire-upd", NewComponentRef = lattice.Images["echo"] }, Ct);
        Assert.True(update.Success, update.Message);
        Assert.StartsWith("component wire-upd updating from", update.Message);
        await lattice.Events.WaitAsync(LatticeEvents.ComponentScaled, d => d.GetProperty("component_id").GetString() == "wire-upd"
            && d.GetProperty("image_ref").GetString() == lattice.Images["hello"] && d.GetProperty("max_instances").GetUInt32() == 0, cancellationToken: Ct);
        var inventory = (await Client.GetHostInventoryAsync(lattice.HostA.HostId, Ct)).Response!;
        Assert.Equal(lattice.Images["echo"], inventory.Components.Single(c => c.Id == "wire-upd").ImageRef);
        var missing = await Client.UpdateComponentAsync(new UpdateComponentCommand { HostId = lattice.HostA.HostId, ComponentId = "nope", NewComponentRef = "x" }, Ct);
        Assert.Equal("component nope not found", missing.Message);
    }

    private async Task ScaleAsync(string hostId, string id, string image, uint count, Dictionary<string, string>? limits = null)
    {
        var reply = await Client.ScaleComponentAsync(new ScaleComponentCommand
        {
            ComponentId = id, ComponentRef = image, MaxInstances = count, HostId = hostId, ComponentLimits = limits,
            Annotations = new() { ["test"] = "wire" },
        }, Ct);
        Assert.True(reply.Success, reply.Message);
        await lattice.Events.WaitAsync(LatticeEvents.ComponentScaled, d => d.GetProperty("component_id").GetString() == id && d.GetProperty("max_instances").GetUInt32() == count, TimeSpan.FromSeconds(120), Ct);
    }

    /// <summary>Starts an HTTP server provider on the host, puts its address config and the link to the component.</summary>
    private async Task ServeAsync(string hostId, string providerId, string componentId, int port)
    {
        var started = await Client.StartProviderAsync(new StartProviderCommand { ProviderId = providerId, ProviderRef = "wasmcloud+builtin://http-server", HostId = hostId }, Ct);
        Assert.True(started.Success, started.Message);
        await lattice.Events.WaitAsync(LatticeEvents.ProviderStarted, d => d.GetProperty("provider_id").GetString() == providerId, cancellationToken: Ct);
        await Client.PutConfigAsync($"{providerId}-address", new Dictionary<string, string> { ["address"] = $"127.0.0.1:{port}" }, Ct);
        var link = await Client.PutLinkAsync(new Link
        {
            SourceId = providerId, Target = componentId, WitNamespace = "wasi", WitPackage = "http",
            Interfaces = ["incoming-handler"], SourceConfig = [$"{providerId}-address"],
        }, Ct);
        Assert.True(link.Success, link.Message);
    }

    /// <summary>Sends once the listener is up (the link reaches the provider through the store's watch).</summary>
    private static async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, bool expectReady = true)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var response = await Http.SendAsync(request(), Ct);
                if (!expectReady || response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline) return response;
                response.Dispose();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(50, Ct);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(25, Ct);
        }
    }
}
