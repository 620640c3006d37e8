using Portal.Lattice.Nats;
using Portal.Lattice.Observation;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Lattice.Control;

public sealed class LatticeObserverReconnectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reseeds_after_the_connection_comes_back()
    {
        await using var server = await NatsServer.StartAsync(cancellationToken: Ct);
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url, ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200) });
        await nats.ConnectAsync(Ct);
        await using var observer = new LatticeObserver(nats, new LatticeObserverOptions { SeedWindow = TimeSpan.FromMilliseconds(300) });
        await observer.StartAsync(Ct);
        Assert.Empty(observer.Snapshot.Hosts);
        var reseeded = new TaskCompletionSource<LatticeChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        observer.Changed += (_, c) =>
        {
            if (c.Kind == LatticeChangeKind.Seeded) reseeded.TrySetResult(c);
        };

        server.Kill();
        await server.RestartAsync(Ct);
        // A host that joined while the observer was away (its host_started was missed) is found by the new seed.
        await using var host = await ProtocolHost.StartAsync(server.Url, "default");

        var change = await reseeded.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!observer.Snapshot.Hosts.ContainsKey(host.HostId))
        {
            Assert.True(DateTime.UtcNow < deadline, "host not observed after reconnect");
            await Task.Delay(50, Ct);
        }

        Assert.Equal(LatticeChangeKind.Seeded, change.Kind);
        Assert.Equal(1, nats.ReconnectCount);
    }
}
