using System.Net;
using System.Text;
using Portal.Lattice.Control;
using Portal.Lattice.Nats.KeyValue;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>
/// The key-value provider: a JS wasi:http component calling wasi:keyvalue/store and atomics, run on
/// both hosts behind each host's HTTP server, linked to a key-value provider running on both hosts
/// (once by its builtin ref, once by wasmCloud's keyvalue-nats image ref). Both hosts see one store.
/// </summary>
[Collection(HostLatticeCollection.Name)]
public sealed class KeyValueProviderTests(HostLatticeFixture lattice)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LatticeClient Client => lattice.Client;

    [Fact]
    public async Task Two_hosts_serve_one_shared_store_through_the_linked_provider()
    {
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        // One host after the other: the second finds the first one's transpiled component in the shared cache.
        foreach (var host in new[] { lattice.HostA.HostId, lattice.HostB.HostId }) await ScaleAsync(host, "kv-counter", 4);
        await StartProviderAsync(lattice.HostA.HostId, "kv-store", "wasmcloud+builtin://keyvalue");
        await StartProviderAsync(lattice.HostB.HostId, "kv-store", "ghcr.io/wasmcloud/keyvalue-nats:0.4.1");
        await StartProviderAsync(lattice.HostA.HostId, "kv-http-a", "wasmcloud+builtin://http-server");
        await StartProviderAsync(lattice.HostB.HostId, "kv-http-b", "wasmcloud+builtin://http-server");
        await PutConfigAsync("kv-bucket", new() { ["bucket"] = "counters" });
        await PutLinkAsync(new Link
        {
            SourceId = "kv-counter", Target = "kv-store", WitNamespace = "wasi", WitPackage = "keyvalue",
            Interfaces = ["store", "atomics"], TargetConfig = ["kv-bucket"],
        });
        foreach (var (provider, port) in new[] { ("kv-http-a", portA), ("kv-http-b", portB) })
        {
            await PutConfigAsync($"{provider}-address", new() { ["address"] = $"127.0.0.1:{port}" });
            await PutLinkAsync(new Link
            {
                SourceId = provider, Target = "kv-counter", WitNamespace = "wasi", WitPackage = "http",
                Interfaces = ["incoming-handler"], SourceConfig = [$"{provider}-address"],
            });
        }

        // One counter, incremented through one host then the other.
        Assert.Equal("count=1", await SendAsync(HttpMethod.Post, portA, "/incr/hits"));
        Assert.Equal("count=2", await SendAsync(HttpMethod.Post, portB, "/incr/hits"));
        Assert.Equal("count=12", await SendAsync(HttpMethod.Post, portA, "/incr/hits", headers: [("x-delta", "10")]));

        // Concurrent increments through both hosts: compare-and-set hands out every count exactly once.
        var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SendAsync(HttpMethod.Post, i % 2 == 0 ? portA : portB, "/incr/hits")));
        Assert.Equal(Enumerable.Range(13, 8).Select(n => $"count={n}"), counts.Order(StringComparer.Ordinal));

        // Values written through one host are read through the other; any key text works.
        Assert.Equal("stored", await SendAsync(HttpMethod.Put, portB, "/value/greeting", "hello, lattice"));
        Assert.Equal("hello, lattice", await SendAsync(HttpMethod.Get, portA, "/value/greeting"));
        Assert.Equal("stored", await SendAsync(HttpMethod.Put, portA, "/value/" + Uri.EscapeDataString("odd key: ü.x"), "odd"));
        Assert.Equal("odd", await SendAsync(HttpMethod.Get, portB, "/value/" + Uri.EscapeDataString("odd key: ü.x")));
        Assert.Equal("true", await SendAsync(HttpMethod.Get, portB, "/exists/greeting"));
        Assert.Equal("greeting\nhits\nodd key: ü.x", await SendAsync(HttpMethod.Get, portA, "/keys"));
        Assert.Equal("deleted", await SendAsync(HttpMethod.Delete, portA, "/value/greeting"));
        Assert.Equal("false", await SendAsync(HttpMethod.Get, portB, "/exists/greeting"));
        Assert.Equal("no such key", await SendAsync(HttpMethod.Get, portB, "/value/greeting", expect: HttpStatusCode.NotFound));

        // The data is in the lattice's KV bucket, under the link's bucket name, counters as decimal text.
        var data = await new NatsKeyValue(lattice.Connection).BindAsync($"KEYVALUE_{lattice.Lattice}", Ct);
        Assert.Equal("20", Encoding.UTF8.GetString((await data.GetAsync("counters.hits", Ct))!.Value.Span));
        Assert.Equal("odd", Encoding.UTF8.GetString((await data.GetAsync("counters.odd=20key=3A=20=C3=BC=2Ex", Ct))!.Value.Span));

        // Without the link the component has no store.
        await Client.DeleteLinkAsync(new DeleteLinkRequest { SourceId = "kv-counter", WitNamespace = "wasi", WitPackage = "keyvalue" }, Ct);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string refused;
        do refused = await SendAsync(HttpMethod.Post, portB, "/incr/hits", expect: null);
        while (refused != "error: no-such-store" && DateTime.UtcNow < deadline);
        Assert.Equal("error: no-such-store", refused);
    }

    private async Task ScaleAsync(string hostId, string id, uint count)
    {
        var reply = await Client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = id, ComponentRef = lattice.Images["kv"], MaxInstances = count, HostId = hostId }, Ct);
        Assert.True(reply.Success, reply.Message);
        await lattice.Events.WaitAsync(LatticeEvents.ComponentScaled, d => d.GetProperty("component_id").GetString() == id
            && d.GetProperty("host_id").GetString() == hostId && d.GetProperty("max_instances").GetUInt32() == count, TimeSpan.FromMinutes(5), Ct);
    }

    private async Task StartProviderAsync(string hostId, string id, string reference)
    {
        var reply = await Client.StartProviderAsync(new StartProviderCommand { ProviderId = id, ProviderRef = reference, HostId = hostId }, Ct);
        Assert.True(reply.Success, reply.Message);
        await lattice.Events.WaitAsync(LatticeEvents.ProviderStarted, d => d.GetProperty("provider_id").GetString() == id
            && d.GetProperty("host_id").GetString() == hostId, cancellationToken: Ct);
    }

    private async Task PutConfigAsync(string name, Dictionary<string, string> values) =>
        Assert.True((await Client.PutConfigAsync(name, values, Ct)).Success);

    private async Task PutLinkAsync(Link link)
    {
        var reply = await Client.PutLinkAsync(link, Ct);
        Assert.True(reply.Success, reply.Message);
    }

    /// <summary>
    /// Sends once the route works (links reach providers and hosts through the store's watch), then
    /// returns the body, checking the status (200 unless told; null accepts any).
    /// </summary>
    private static async Task<string> SendAsync(HttpMethod method, int port, string path, string? body = null,
        (string Name, string Value)[]? headers = null, HttpStatusCode? expect = HttpStatusCode.OK)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{port}{path}");
            if (body is not null) request.Content = new StringContent(body);
            foreach (var (name, value) in headers ?? []) request.Headers.Add(name, value);
            try
            {
                using var response = await Http.SendAsync(request, Ct);
                var text = await response.Content.ReadAsStringAsync(Ct);
                var ready = response.StatusCode != HttpStatusCode.ServiceUnavailable && !text.Contains("is not running on this host");
                if (ready || DateTime.UtcNow > deadline)
                {
                    if (expect is { } status) Assert.True(status == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
                    return text;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(50, Ct);
        }
    }
}
