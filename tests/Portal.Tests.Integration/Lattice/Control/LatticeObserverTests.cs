using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Lattice.Observation;
using Portal.Testing;

namespace Portal.Tests.Integration.Lattice.Control;

public sealed class LatticeObserverTests(PortalServers servers) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _lattice = $"t{Guid.NewGuid():N}";
    private NatsConnection _nats = null!;
    private LatticeClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _nats = new NatsConnection(new NatsOpts { Url = servers.Nats.Url });
        await _nats.ConnectAsync(Ct);
        _client = new LatticeClient(_nats, new LatticeClientOptions { Lattice = _lattice });
    }

    public ValueTask DisposeAsync() => _nats.DisposeAsync();

    private LatticeObserver NewObserver(TimeSpan? reapAfter = null) => new(_nats, new LatticeObserverOptions
    {
        Lattice = _lattice,
        SeedWindow = TimeSpan.FromMilliseconds(400),
        ReapAfter = reapAfter ?? TimeSpan.FromMinutes(1),
        ReapInterval = TimeSpan.FromMilliseconds(100),
    });

    [Fact]
    public async Task Seeds_hosts_inventories_and_links_from_ping_and_host_get()
    {
        await using var host = await ProtocolHost.StartAsync(servers.Nats.Url, _lattice, new() { ["zone"] = "eu-1" });
        await _client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = "hello", ComponentRef = "r", MaxInstances = 4, HostId = host.HostId }, Ct);
        await _client.StartProviderAsync(new StartProviderCommand { ProviderId = "http", HostId = host.HostId }, Ct);
        await _client.PutLinkAsync(new Link { SourceId = "http", Target = "hello", WitNamespace = "wasi", WitPackage = "http", Interfaces = ["incoming-handler"] }, Ct);

        await using var observer = NewObserver();
        await observer.StartAsync(Ct);

        var observed = Assert.Single(observer.Snapshot.Hosts.Values);
        Assert.Equal(host.HostId, observed.HostId);
        Assert.Equal(host.FriendlyName, observed.FriendlyName);
        Assert.Equal("eu-1", observed.Labels["zone"]);
        Assert.Equal("1.9.2", observed.Version);
        Assert.Equal(4U, observed.Components["hello"].MaxInstances);
        Assert.True(observed.Providers.ContainsKey("http"));
        Assert.Equal("hello", Assert.Single(observer.Snapshot.Links).Target);
    }

    [Fact]
    public async Task Follows_events_and_notifies_watchers()
    {
        await using var observer = NewObserver();
        await observer.StartAsync(Ct);
        Assert.Empty(observer.Snapshot.Hosts);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        await using var changes = observer.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = changes.MoveNextAsync();

        await using var host = await ProtocolHost.StartAsync(servers.Nats.Url, _lattice);
        Assert.True(await next);
        Assert.Equal(LatticeChangeKind.HostAdded, changes.Current.Kind);
        Assert.Equal(host.HostId, changes.Current.HostId);

        await _client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = "c1", ComponentRef = "r", MaxInstances = 2, HostId = host.HostId }, Ct);
        var scaled = await NextAsync(changes, LatticeChangeKind.ComponentsChanged);
        Assert.Equal(2, scaled.Snapshot.ComponentInstances("c1"));

        await _client.PutLabelAsync(host.HostId, "tier", "gold", Ct);
        var relabelled = await NextAsync(changes, LatticeChangeKind.HostUpdated);
        Assert.Equal("gold", relabelled.Snapshot.Hosts[host.HostId].Labels["tier"]);

        await _client.PutLinkAsync(new Link { SourceId = "c1", Target = "kv", WitNamespace = "wasi", WitPackage = "keyvalue", Interfaces = ["store"] }, Ct);
        Assert.Single((await NextAsync(changes, LatticeChangeKind.LinksChanged)).Snapshot.Links);

        await _client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = "c1", MaxInstances = 0, HostId = host.HostId }, Ct);
        Assert.Equal(0, (await NextAsync(changes, LatticeChangeKind.ComponentsChanged)).Snapshot.ComponentInstances("c1"));

        await _client.StopHostAsync(host.HostId, cancellationToken: Ct);
        var removed = await NextAsync(changes, LatticeChangeKind.HostRemoved);
        Assert.Empty(removed.Snapshot.Hosts);
        Assert.Same(removed.Snapshot, observer.Snapshot);
    }

    [Fact]
    public async Task Heartbeats_replace_the_inventory_and_record_the_time()
    {
        await using var observer = NewObserver();
        await observer.StartAsync(Ct);
        var heartbeat = new TaskCompletionSource<LatticeChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        observer.Changed += (_, c) =>
        {
            if (c.EventName == LatticeEvents.HostHeartbeat && c.Snapshot.Hosts.Values.Any(h => h.Components.ContainsKey("hb"))) heartbeat.TrySetResult(c);
        };

        await using var host = await ProtocolHost.StartAsync(servers.Nats.Url, _lattice);
        // Scale without the observer seeing the event's effect first would still converge on the heartbeat.
        await _client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = "hb", ComponentRef = "r", MaxInstances = 7, HostId = host.HostId }, Ct);
        await host.HeartbeatAsync();

        var change = await heartbeat.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var observed = change.Snapshot.Hosts[host.HostId];
        Assert.NotNull(observed.LastHeartbeat);
        Assert.Equal(7U, observed.Components["hb"].MaxInstances);
    }

    [Fact]
    public async Task Reaps_a_host_that_stops_heartbeating_and_keeps_one_that_does()
    {
        await using var alive = await ProtocolHost.StartAsync(servers.Nats.Url, _lattice, heartbeatInterval: TimeSpan.FromMilliseconds(200));
        var crashed = await ProtocolHost.StartAsync(servers.Nats.Url, _lattice);
        await using var observer = NewObserver(reapAfter: TimeSpan.FromMilliseconds(1200));
        await observer.StartAsync(Ct);
        Assert.Equal(2, observer.Snapshot.Hosts.Count);
        var reaped = new TaskCompletionSource<LatticeChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        observer.Changed += (_, c) =>
        {
            if (c.Kind == LatticeChangeKind.HostRemoved) reaped.TrySetResult(c);
        };

        await crashed.CrashAsync();

        var change = await reaped.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(crashed.HostId, change.HostId);
        Assert.Contains("reap", change.Message);
        Assert.Equal([alive.HostId], observer.Snapshot.Hosts.Keys);
    }

    private static async Task<LatticeChange> NextAsync(IAsyncEnumerator<LatticeChange> changes, LatticeChangeKind kind)
    {
        while (await changes.MoveNextAsync())
        {
            if (changes.Current.Kind == kind) return changes.Current;
        }

        throw new InvalidOperationException($"no {kind} change");
    }
}
