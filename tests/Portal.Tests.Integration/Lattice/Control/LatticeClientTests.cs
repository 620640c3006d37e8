using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Testing;

namespace Portal.Tests.Integration.Lattice.Control;

/// <summary>LatticeClient against ProtocolHosts on the real nats-server; each test uses its own lattice.</summary>
public sealed class LatticeClientTests(PortalServers servers) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _lattice = $"t{Guid.NewGuid():N}";
    private NatsConnection _nats = null!;
    private LatticeClient _client = null!;
    private ProtocolHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _nats = new NatsConnection(new NatsOpts { Url = servers.Nats.Url });
        await _nats.ConnectAsync(Ct);
        _client = new LatticeClient(_nats, new LatticeClientOptions { Lattice = _lattice, AuctionTimeout = TimeSpan.FromMilliseconds(500) });
        _host = await ProtocolHost.StartAsync(servers.Nats.Url, _lattice, new() { ["zone"] = "eu-1" });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _nats.DisposeAsync();
    }

    [Fact]
    public async Task Ping_gathers_every_host_of_the_lattice_and_only_that_lattice()
    {
        await using var second = await ProtocolHost.StartAsync(servers.Nats.Url, _lattice);
        await using var elsewhere = await ProtocolHost.StartAsync(servers.Nats.Url, _lattice + "x");

        var hosts = await _client.PingHostsAsync(Ct);

        Assert.Equal(new[] { _host.HostId, second.HostId }.Order(), hosts.Select(h => h.Id).Order());
        var first = hosts.Single(h => h.Id == _host.HostId);
        Assert.Equal("eu-1", first.Labels["zone"]);
        Assert.Equal(_lattice, first.Lattice);
    }

    [Fact]
    public async Task Ping_of_an_empty_lattice_returns_no_hosts()
    {
        var empty = new LatticeClient(_nats, new LatticeClientOptions { Lattice = "empty" + Guid.NewGuid().ToString("N"), AuctionTimeout = TimeSpan.FromMilliseconds(300) });

        Assert.Empty(await empty.PingHostsAsync(Ct));
    }

    [Fact]
    public async Task Scale_sends_count_and_the_inventory_reflects_it()
    {
        var reply = await _client.ScaleComponentAsync(new ScaleComponentCommand
        {
            ComponentId = "hello", ComponentRef = "file:///hello.wasm", MaxInstances = 3, HostId = _host.HostId,
        }, Ct);

        Assert.True(reply.Success);
        var (subject, body) = _host.Received.Single(r => r.Subject.Contains(".component.scale."));
        Assert.Equal($"wasmbus.ctl.v1.{_lattice}.component.scale.{_host.HostId}", subject);
        Assert.Contains("\"count\":3", body);
        var inventory = await _client.GetHostInventoryAsync(_host.HostId, Ct);
        Assert.Equal(3U, Assert.Single(inventory.Response!.Components).MaxInstances);

        await _client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = "hello", MaxInstances = 0, HostId = _host.HostId }, Ct);
        Assert.Empty((await _client.GetHostInventoryAsync(_host.HostId, Ct)).Response!.Components);
    }

    [Fact]
    public async Task Labels_put_and_delete_and_hostcore_labels_are_refused_by_the_host()
    {
        Assert.True((await _client.PutLabelAsync(_host.HostId, "tier", "gold", Ct)).Success);
        Assert.Equal("gold", (await _client.GetHostInventoryAsync(_host.HostId, Ct)).Response!.Labels["tier"]);

        var refused = await _client.PutLabelAsync(_host.HostId, "hostcore.os", "x", Ct);
        Assert.False(refused.Success);
        Assert.Contains("hostcore", refused.Message);

        Assert.Equal("successfully deleted label", (await _client.DeleteLabelAsync(_host.HostId, "tier", Ct)).Message);
        Assert.DoesNotContain("tier", (await _client.GetHostInventoryAsync(_host.HostId, Ct)).Response!.Labels.Keys);
    }

    [Fact]
    public async Task Providers_start_and_stop()
    {
        var start = await _client.StartProviderAsync(new StartProviderCommand { ProviderId = "http", ProviderRef = "wasmcloud+builtin://http-server", HostId = _host.HostId }, Ct);
        var again = await _client.StartProviderAsync(new StartProviderCommand { ProviderId = "http", HostId = _host.HostId }, Ct);

        Assert.True(start.Success);
        Assert.False(again.Success);
        Assert.Equal("http", Assert.Single((await _client.GetHostInventoryAsync(_host.HostId, Ct)).Response!.Providers).Id);
        Assert.True((await _client.StopProviderAsync(new StopProviderCommand { ProviderId = "http", HostId = _host.HostId }, Ct)).Success);
        Assert.Empty((await _client.GetHostInventoryAsync(_host.HostId, Ct)).Response!.Providers);
    }

    [Fact]
    public async Task Links_put_get_delete()
    {
        var link = new Link { SourceId = "http", Target = "hello", WitNamespace = "wasi", WitPackage = "http", Interfaces = ["incoming-handler"], SourceConfig = ["addr"] };

        Assert.True((await _client.PutLinkAsync(link, Ct)).Success);
        var got = Assert.Single((await _client.GetLinksAsync(Ct)).Response!);
        Assert.Equal(("http", "hello", "default", "addr"), (got.SourceId, got.Target, got.Name, got.SourceConfig.Single()));

        Assert.True((await _client.DeleteLinkAsync(new DeleteLinkRequest { SourceId = "http", WitNamespace = "wasi", WitPackage = "http" }, Ct)).Success);
        Assert.Empty((await _client.GetLinksAsync(Ct)).Response!);
    }

    [Fact]
    public async Task Config_put_get_delete_and_missing_config()
    {
        Assert.True((await _client.PutConfigAsync("addr", new Dictionary<string, string> { ["address"] = "0.0.0.0:8000" }, Ct)).Success);
        Assert.Equal("0.0.0.0:8000", (await _client.GetConfigAsync("addr", Ct)).Response!["address"]);

        Assert.True((await _client.DeleteConfigAsync("addr", Ct)).Success);
        var missing = await _client.GetConfigAsync("addr", Ct);
        Assert.True(missing.Success);
        Assert.Null(missing.Response);
        Assert.Equal("Configuration not found", missing.Message);
    }

    [Fact]
    public async Task Claims_and_host_stop()
    {
        Assert.NotNull((await _client.GetClaimsAsync(Ct)).Response);

        var stop = await _client.StopHostAsync(_host.HostId, 5000, Ct);

        Assert.Equal("successfully handled stop host", stop.Message);
        Assert.Contains($"\"host_id\":\"{_host.HostId}\"", _host.Received.Single(r => r.Subject.Contains(".host.stop.")).Body);
    }

    [Fact]
    public async Task Commands_to_an_unknown_host_fail_with_no_responders()
    {
        await Assert.ThrowsAsync<NatsNoRespondersException>(() => _client.GetHostInventoryAsync("NUNKNOWN", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = "x" }, Ct));
    }
}
