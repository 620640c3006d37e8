using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Api.Topology;
using Portal.Lattice.Control;

namespace Portal.Tests.Integration.Topology;

/// <summary>
/// The live topology against two of our hosts: after a burst of changes the portal shows exactly
/// what each host reports; REST, the event stream and the label, scale and stop actions go
/// through the control interface, are audited and stay within the tenant.
/// </summary>
[Collection(TopologyLatticeCollection.Name)]
public sealed class TopologyTests(TopologyLatticeFixture lattice)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string HostA => lattice.Hosts[0].HostId;

    private string HostB => lattice.Hosts[1].HostId;

    private async Task<JsonElement> TopologyAsync()
    {
        var response = await lattice.Api.GetAsync(lattice.Path("/topology"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task ScaleAsync(string hostId, string componentId, uint count) =>
        ExpectOk(lattice.Client.ScaleComponentAsync(new ScaleComponentCommand { ComponentRef = lattice.ImageRef, ComponentId = componentId, HostId = hostId, MaxInstances = count }, Ct));

    private static async Task ExpectOk(Task<CtlResponse<object>> command)
    {
        var reply = await command;
        Assert.True(reply.Success, reply.Message);
    }

    /// <summary>Retries <paramref name="check"/> until it returns null (done) or 60 s pass; fails with its last complaint.</summary>
    private static async Task EventuallyAsync(Func<Task<string?>> check)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? complaint;
        while ((complaint = await check()) is not null)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(complaint);
            await Task.Delay(200, Ct);
        }
    }

    // ------------------------------------------------------------------ what the hosts say, and what the portal says

    /// <summary>Each host's own answer to host.get and the lattice's link.get, as sorted lines.</summary>
    private async Task<List<string>> ReportedAsync()
    {
        var lines = new List<string>();
        foreach (var host in lattice.Hosts)
        {
            var inventory = await lattice.Client.GetHostInventoryAsync(host.HostId, Ct);
            Assert.True(inventory.Success, inventory.Message);
            var hostInventory = inventory.Response!;
            lines.AddRange(hostInventory.Labels.Select(l => $"{host.HostId} label {l.Key}={l.Value}"));
            lines.AddRange(hostInventory.Components.Select(c => $"{host.HostId} component {c.Id} {c.ImageRef} x{c.MaxInstances}"));
            lines.AddRange(hostInventory.Providers.Select(p => $"{host.HostId} provider {p.Id}"));
        }

        var links = await lattice.Client.GetLinksAsync(Ct);
        lines.AddRange(links.Response!.Select(l => $"link {l.SourceId}->{l.Target} {l.WitNamespace}:{l.WitPackage}/{string.Join(',', l.Interfaces)} {l.Name}"));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The REST topology in the same lines.</summary>
    private static List<string> Shown(JsonElement topology)
    {
        var lines = new List<string>();
        foreach (var host in topology.GetProperty("hosts").EnumerateArray())
        {
            var id = host.GetProperty("id").GetString();
            lines.AddRange(host.GetProperty("labels").EnumerateObject().Select(l => $"{id} label {l.Name}={l.Value.GetString()}"));
            lines.AddRange(host.GetProperty("components").EnumerateArray().Select(c =>
                $"{id} component {c.GetProperty("id").GetString()} {c.GetProperty("imageRef").GetString()} x{c.GetProperty("maxInstances").GetUInt32()}"));
            lines.AddRange(host.GetProperty("providers").EnumerateArray().Select(p => $"{id} provider {p.GetProperty("id").GetString()}"));
        }

        lines.AddRange(topology.GetProperty("links").EnumerateArray().Select(l =>
            $"link {l.GetProperty("sourceId").GetString()}->{l.GetProperty("target").GetString()} {l.GetProperty("interface").GetString()} {l.GetProperty("name").GetString()}"));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static Link KeyValueLink(string source, string target, string name = "default") => new()
    {
        SourceId = source, Target = target, Name = name, WitNamespace = "wasi", WitPackage = "keyvalue", Interfaces = ["store"],
    };

    [Fact]
    public async Task After_a_burst_of_changes_the_portal_shows_exactly_what_each_host_reports()
    {
        // Observe first, so what follows reaches the portal as events (hosts heartbeat only every 30 s here).
        await TopologyAsync();
        string[] ids = ["burst-1", "burst-2", "burst-3", "burst-4"];

        var first = new List<Task>();
        foreach (var host in new[] { HostA, HostB })
        {
            for (var i = 0; i < ids.Length; i++) first.Add(ScaleAsync(host, ids[i], (uint)(i + 1)));
            first.Add(ExpectOk(lattice.Client.PutLabelAsync(host, "tier", host == HostA ? "gold" : "silver", Ct)));
            first.Add(ExpectOk(lattice.Client.PutLabelAsync(host, "doomed", "yes", Ct)));
        }

        first.Add(ExpectOk(lattice.Client.PutLinkAsync(KeyValueLink("burst-1", "burst-2"), Ct)));
        first.Add(ExpectOk(lattice.Client.PutLinkAsync(KeyValueLink("burst-2", "burst-3"), Ct)));
        first.Add(ExpectOk(lattice.Client.PutLinkAsync(KeyValueLink("burst-3", "burst-4", "cache"), Ct)));
        first.Add(ExpectOk(lattice.Client.StartProviderAsync(new StartProviderCommand { HostId = HostB, ProviderId = "burst-kv", ProviderRef = "wasmcloud+builtin://keyvalue" }, Ct)));
        await Task.WhenAll(first);

        // Wait for the first round to run, so the second changes what is there (not a pull still in flight).
        await EventuallyAsync(async () => (await ReportedAsync()).Count(l => l.Contains(" component burst-", StringComparison.Ordinal)) == 8 ? null : "the first round did not start on both hosts");

        await Task.WhenAll(
            ScaleAsync(HostA, "burst-1", 0),
            ScaleAsync(HostB, "burst-2", 5),
            ScaleAsync(HostA, "burst-3", 0),
            ScaleAsync(HostB, "burst-3", 0),
            ScaleAsync(HostA, "burst-4", 2),
            ExpectOk(lattice.Client.DeleteLabelAsync(HostA, "doomed", Ct)),
            ExpectOk(lattice.Client.DeleteLabelAsync(HostB, "doomed", Ct)),
            ExpectOk(lattice.Client.PutLabelAsync(HostB, "tier", "bronze", Ct)),
            ExpectOk(lattice.Client.DeleteLinkAsync(new DeleteLinkRequest { SourceId = "burst-2", WitNamespace = "wasi", WitPackage = "keyvalue" }, Ct)),
            ExpectOk(lattice.Client.StopProviderAsync(new StopProviderCommand { HostId = HostB, ProviderId = "burst-kv" }, Ct)));

        await EventuallyAsync(async () =>
        {
            var reported = await ReportedAsync();
            // The second round is done on the hosts...
            var done = !reported.Any(l => l.Contains("burst-3 ", StringComparison.Ordinal) && l.Contains(" component ", StringComparison.Ordinal))
                       && reported.Contains($"{HostB} component burst-2 {lattice.ImageRef} x5") && reported.Contains($"{HostA} component burst-4 {lattice.ImageRef} x2")
                       && reported.Contains($"{HostB} label tier=bronze") && !reported.Any(l => l.Contains("doomed", StringComparison.Ordinal))
                       && !reported.Any(l => l.Contains("burst-kv", StringComparison.Ordinal));
            if (!done) return "the hosts have not finished the second round: " + string.Join("; ", reported);
            // ...and the portal shows exactly that.
            var shown = Shown(await TopologyAsync());
            return shown.SequenceEqual(reported) ? null
                : $"The portal differs from the hosts.\nOnly the hosts: {string.Join("; ", reported.Except(shown))}\nOnly the portal: {string.Join("; ", shown.Except(reported))}";
        });

        var topology = await TopologyAsync();
        Assert.Contains(topology.GetProperty("links").EnumerateArray(), l => l.GetProperty("interface").GetString() == "wasi:keyvalue/store" && l.GetProperty("name").GetString() == "cache");
        Assert.All(topology.GetProperty("hosts").EnumerateArray(), h => Assert.False(h.GetProperty("stale").GetBoolean()));
    }

    [Fact]
    public async Task The_event_stream_delivers_the_event_a_scale_through_rest_causes()
    {
        await ScaleAsync(HostA, "sse-1", 1);
        await EventuallyAsync(async () => Shown(await TopologyAsync()).Contains($"{HostA} component sse-1 {lattice.ImageRef} x1") ? null : "sse-1 did not start");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await lattice.Api.GetAsync(lattice.Path("/events"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal(": connected", await reader.ReadLineAsync(timeout.Token));

        var scaled = await lattice.Api.PostAsJsonAsync(lattice.Path($"/hosts/{HostA}/components/sse-1/scale"), new { count = 3 }, Ct);
        Assert.True(scaled.StatusCode == HttpStatusCode.Accepted, await scaled.Content.ReadAsStringAsync(Ct));

        // Read events until the component_scaled of sse-1 at 3 (heartbeats or keep-alives may come first).
        string? id = null, type = null;
        var sawKeepAliveOrEvent = false;
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the stream ended");
            sawKeepAliveOrEvent = true;
            if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "com.wasmcloud.lattice.component_scaled")
            {
                var data = JsonDocument.Parse(line[6..]).RootElement;
                Assert.Equal(id, data.GetProperty("id").GetString());
                Assert.Equal(HostA, data.GetProperty("source").GetString());
                if (data.GetProperty("data").GetProperty("component_id").GetString() == "sse-1" && data.GetProperty("data").GetProperty("max_instances").GetUInt32() == 3) break;
            }
        }

        Assert.True(sawKeepAliveOrEvent);
        Assert.False(string.IsNullOrEmpty(id));
    }

    [Fact]
    public async Task Labels_put_and_deleted_through_rest_change_the_host_and_hostcore_labels_are_refused()
    {
        var put = await lattice.Api.PutAsJsonAsync(lattice.Path($"/hosts/{HostB}/labels/rack"), new { value = "r7" }, Ct);
        Assert.True(put.StatusCode == HttpStatusCode.NoContent, await put.Content.ReadAsStringAsync(Ct));
        Assert.Equal("r7", (await lattice.Client.GetHostInventoryAsync(HostB, Ct)).Response!.Labels["rack"]);
        await EventuallyAsync(async () =>
        {
            var host = await lattice.Api.GetFromJsonAsync<JsonElement>(lattice.Path($"/hosts/{HostB}"), Ct);
            return host.GetProperty("labels").TryGetProperty("rack", out var rack) && rack.GetString() == "r7" ? null : $"the portal does not show rack=r7: {host}";
        });

        var deleted = await lattice.Api.DeleteAsync(lattice.Path($"/hosts/{HostB}/labels/rack"), Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.False((await lattice.Client.GetHostInventoryAsync(HostB, Ct)).Response!.Labels.ContainsKey("rack"));

        var hostcore = await lattice.Api.PutAsJsonAsync(lattice.Path($"/hosts/{HostB}/labels/hostcore.os"), new { value = "plan9" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, hostcore.StatusCode);
        Assert.Equal("application/problem+json", hostcore.Content.Headers.ContentType?.MediaType);
        var problem = await hostcore.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("/problems/protected-label", problem.GetProperty("type").GetString());
        Assert.NotEqual("plan9", (await lattice.Client.GetHostInventoryAsync(HostB, Ct)).Response!.Labels.GetValueOrDefault("hostcore.os"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await lattice.Api.DeleteAsync(lattice.Path($"/hosts/{HostB}/labels/hostcore.os"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await lattice.Api.PutAsJsonAsync(lattice.Path($"/hosts/{HostB}/labels/rack"), new { }, Ct)).StatusCode);

        await EventuallyAsync(async () =>
        {
            var host = await lattice.Api.GetFromJsonAsync<JsonElement>(lattice.Path($"/hosts/{HostB}"), Ct);
            return host.GetProperty("labels").TryGetProperty("rack", out _) ? "rack is still shown" : null;
        });
        Assert.Equal(HttpStatusCode.NotFound, (await lattice.Api.DeleteAsync(lattice.Path($"/hosts/{HostB}/labels/rack"), Ct)).StatusCode);

        // One audit event per accepted change; the refused ones wrote none.
        var audit = await lattice.Api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{TopologyLatticeFixture.Slug}/audit?limit=200", Ct);
        var actions = audit.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("targetId").GetString() == $"dev/{HostB}")
            .Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(1, actions.Count(a => a == "host.label.put"));
        Assert.Equal(1, actions.Count(a => a == "host.label.delete"));
    }

    [Fact]
    public async Task Scale_to_zero_and_provider_stop_through_rest_act_on_the_host_and_are_audited()
    {
        await ScaleAsync(HostB, "stop-me", 2);
        await ExpectOk(lattice.Client.StartProviderAsync(new StartProviderCommand { HostId = HostB, ProviderId = "stop-kv", ProviderRef = "wasmcloud+builtin://keyvalue" }, Ct));
        await EventuallyAsync(async () =>
        {
            var shown = Shown(await TopologyAsync());
            return shown.Contains($"{HostB} component stop-me {lattice.ImageRef} x2") && shown.Contains($"{HostB} provider stop-kv") ? null : "stop-me and stop-kv are not shown yet";
        });

        Assert.Equal(HttpStatusCode.BadRequest, (await lattice.Api.PostAsJsonAsync(lattice.Path($"/hosts/{HostB}/components/stop-me/scale"), new { count = -1 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lattice.Api.PostAsJsonAsync(lattice.Path($"/hosts/{HostB}/components/not-there/scale"), new { count = 1 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lattice.Api.GetAsync(lattice.Path("/hosts/NUNKNOWNHOST"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await lattice.Api.PostAsJsonAsync(lattice.Path($"/hosts/{HostB}/components/stop-me/scale"), new { count = 0 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await lattice.Api.DeleteAsync(lattice.Path($"/hosts/{HostB}/providers/stop-kv"), Ct)).StatusCode);

        await EventuallyAsync(async () =>
        {
            var inventory = (await lattice.Client.GetHostInventoryAsync(HostB, Ct)).Response!;
            if (inventory.Components.Any(c => c.Id == "stop-me") || inventory.Providers.Any(p => p.Id == "stop-kv")) return "the host still runs stop-me or stop-kv";
            var shown = Shown(await TopologyAsync());
            return shown.Any(l => l.Contains("stop-", StringComparison.Ordinal)) ? "the portal still shows them" : null;
        });

        var audit = await lattice.Api.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{TopologyLatticeFixture.Slug}/audit?limit=200", Ct);
        var targets = audit.GetProperty("items").EnumerateArray().Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("targetId").GetString()}").ToList();
        Assert.Single(targets, t => t == $"component.scale dev/{HostB}/stop-me");
        Assert.Single(targets, t => t == $"provider.stop dev/{HostB}/stop-kv");
    }

    [Fact]
    public async Task Another_tenant_gets_404_for_everything_of_this_lattice_and_sees_none_of_its_hosts()
    {
        var slug = TopologyLatticeFixture.Slug;
        string[] gets = ["/topology", $"/hosts/{HostA}", "/events?seconds=1"];
        foreach (var path in gets)
        {
            var response = await lattice.Stranger.GetAsync($"/api/v1/tenants/{slug}/lattices/dev{path}", Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await lattice.Stranger.PutAsJsonAsync($"/api/v1/tenants/{slug}/lattices/dev/hosts/{HostA}/labels/x", new { value = "y" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lattice.Stranger.DeleteAsync($"/api/v1/tenants/{slug}/lattices/dev/hosts/{HostA}/labels/zone", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lattice.Stranger.PostAsJsonAsync($"/api/v1/tenants/{slug}/lattices/dev/hosts/{HostA}/components/x/scale", new { count = 0 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lattice.Stranger.DeleteAsync($"/api/v1/tenants/{slug}/lattices/dev/hosts/{HostA}/providers/x", Ct)).StatusCode);
        Assert.Equal("zone", (await lattice.Client.GetHostInventoryAsync(HostA, Ct)).Response!.Labels.Keys.Single(k => k == "zone"));

        // Its own lattice of the same name is another wire lattice: none of our hosts show there.
        var own = await lattice.Stranger.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{TopologyLatticeFixture.OtherSlug}/lattices/dev/topology", Ct);
        Assert.Equal($"{TopologyLatticeFixture.OtherSlug}-dev", own.GetProperty("latticeId").GetString());
        Assert.Empty(own.GetProperty("hosts").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await lattice.Stranger.GetAsync($"/api/v1/tenants/{TopologyLatticeFixture.OtherSlug}/lattices/dev/hosts/{HostA}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_watch_pushes_the_change_a_host_makes_without_being_asked()
    {
        var watch = await lattice.WithTopologyAsync((topology, context) => topology.WatchAsync(context, "dev", Ct));
        Assert.True(watch.Connected);
        Assert.Contains(watch.Current.Hosts, h => h.Id == HostA);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromSeconds(60));
        var seen = Task.Run(async () =>
        {
            await foreach (var update in watch.UpdatesAsync(stop.Token))
            {
                var host = update.View.Hosts.Single(h => h.Id == HostA);
                if (host.Labels.GetValueOrDefault("watched") == "yes") return update;
            }

            throw new InvalidOperationException("the watch ended");
        }, Ct);

        // Give the reader a moment to subscribe; an update missed here would only make the test wait for the deadline and fail.
        await Task.Delay(300, Ct);
        await ExpectOk(lattice.Client.PutLabelAsync(HostA, "watched", "yes", Ct));
        var seenUpdate = await seen;
        Assert.Contains(seenUpdate.Changes, c => c.HostId == HostA && c.EventName == "labels_changed");
        Assert.Equal(seenUpdate.View, watch.Current);
        await ExpectOk(lattice.Client.DeleteLabelAsync(HostA, "watched", Ct));
    }
}
