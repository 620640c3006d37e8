using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Lattice.Observation;
using Portal.Testing;

namespace Portal.Tests.Integration.Lattice.Control;

public sealed class LatticeObserverFailureTests(PortalServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reports_failures_and_tracks_provider_health()
    {
        var lattice = $"t{Guid.NewGuid():N}";
        await using var nats = new NatsConnection(new NatsOpts { Url = servers.Nats.Url });
        await nats.ConnectAsync(Ct);
        await using var host = await ProtocolHost.StartAsync(servers.Nats.Url, lattice);
        await using var observer = new LatticeObserver(nats, new LatticeObserverOptions { Lattice = lattice, SeedWindow = TimeSpan.FromMilliseconds(300) });
        await observer.StartAsync(Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        await using var changes = observer.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var first = changes.MoveNextAsync();

        await host.PublishEventAsync(LatticeEvents.ComponentScaleFailed, new ComponentScaleFailedEvent { ComponentId = "bad", HostId = host.HostId, ImageRef = "oci://nope", MaxInstances = 1, Error = "failed to fetch image" });
        await host.PublishEventAsync(LatticeEvents.ProviderStarted, new ProviderStartedEvent { HostId = host.HostId, ProviderId = "kv", ImageRef = "wasmcloud+builtin://keyvalue" });
        await host.PublishEventAsync(LatticeEvents.HealthCheckPassed, new HealthCheckEvent { HostId = host.HostId, ProviderId = "kv" });
        await host.PublishEventAsync(LatticeEvents.HealthCheckFailed, new HealthCheckEvent { HostId = host.HostId, ProviderId = "kv" });

        Assert.True(await first);
        Assert.Equal((LatticeChangeKind.Failure, "bad", "failed to fetch image"), (changes.Current.Kind, changes.Current.ResourceId, changes.Current.Message));
        var health = new List<ProviderHealth>();
        while (health.Count < 3 && await changes.MoveNextAsync())
        {
            if (changes.Current.Kind == LatticeChangeKind.ProvidersChanged) health.Add(changes.Current.Snapshot.Hosts[host.HostId].Providers["kv"].Health);
        }

        Assert.Equal([ProviderHealth.Unknown, ProviderHealth.Healthy, ProviderHealth.Unhealthy], health);
    }
}
