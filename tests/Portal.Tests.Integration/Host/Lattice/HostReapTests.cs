using Portal.Lattice.Observation;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>A host that dies without host_stopped is dropped by the observer once it stops heartbeating.</summary>
public sealed class HostReapTests(HostLatticeFixture lattice) : IClassFixture<HostLatticeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_killed_host_is_dropped_by_the_observer_after_the_reap_window()
    {
        await using var observer = new LatticeObserver(lattice.Connection, new LatticeObserverOptions
        {
            Lattice = lattice.Lattice, SeedWindow = TimeSpan.FromMilliseconds(500),
            ReapAfter = TimeSpan.FromSeconds(3), ReapInterval = TimeSpan.FromMilliseconds(250),
        });
        await observer.StartAsync(Ct);
        var doomed = await lattice.StartHostAsync("doomed", Ct);
        await WaitAsync(() => observer.Snapshot.Hosts.ContainsKey(doomed.HostId));

        await doomed.AbortAsync();
        var killedAt = DateTime.UtcNow;
        await WaitAsync(() => !observer.Snapshot.Hosts.ContainsKey(doomed.HostId), TimeSpan.FromSeconds(15));

        Assert.True(DateTime.UtcNow - killedAt >= TimeSpan.FromSeconds(2), "dropped before the reap window");
        Assert.Contains(lattice.HostA.HostId, observer.Snapshot.Hosts.Keys);
        Assert.Contains(lattice.HostB.HostId, observer.Snapshot.Hosts.Keys);
        Assert.DoesNotContain(lattice.Events.All, e => e.Event.Source == doomed.HostId && e.Event.Type.EndsWith("host_stopped"));
    }

    [Fact]
    public async Task A_stopped_host_says_host_stopped()
    {
        var host = await lattice.StartHostAsync("leaving", Ct);
        var reply = await lattice.Client.StopHostAsync(host.HostId, 1000, Ct);
        Assert.Equal("successfully handled stop host", reply.Message);
        await host.Stopped.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await lattice.Events.WaitAsync("host_stopped", cancellationToken: Ct);
        Assert.Contains(lattice.Events.All, e => e.Event.Source == host.HostId && e.Event.Type.EndsWith("host_stopped"));
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50, Ct);
        }
    }
}
