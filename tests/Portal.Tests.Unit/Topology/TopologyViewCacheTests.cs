using Portal.Api.Topology;
using Portal.Lattice.Observation;

namespace Portal.Tests.Unit.Topology;

public sealed class TopologyViewCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(47);
    private static readonly HashSet<string> Apps = ["shop"];

    private static LatticeSnapshot Snapshot(long version, TimeSpan silentFor) => new()
    {
        Lattice = "acme-dev", Version = version,
        Hosts = new Dictionary<string, ObservedHost> { ["NA"] = new() { HostId = "NA", LastSeen = Now - silentFor, LastHeartbeat = Now - silentFor } },
    };

    [Fact]
    public void Watches_of_one_lattice_share_a_view_until_something_in_it_changes()
    {
        var cache = new TopologyViewCache();
        var first = cache.Get("dev", Snapshot(3, TimeSpan.FromSeconds(1)), Apps, StaleAfter, Now);

        // Another page, a later tick, an equal set of application names: the same object.
        Assert.Same(first, cache.Get("dev", Snapshot(3, TimeSpan.FromSeconds(1)), new HashSet<string> { "shop" }, StaleAfter, Now + TimeSpan.FromSeconds(5)));

        // A new snapshot, a host turning stale, or the tenant's applications changing: a new view.
        var next = cache.Get("dev", Snapshot(4, TimeSpan.FromSeconds(1)), Apps, StaleAfter, Now);
        Assert.NotSame(first, next);
        var stale = cache.Get("dev", Snapshot(4, TimeSpan.FromSeconds(1)), Apps, StaleAfter, Now + TimeSpan.FromMinutes(1));
        Assert.NotSame(next, stale);
        Assert.True(stale.Hosts.Single().Stale);
        Assert.NotSame(stale, cache.Get("dev", Snapshot(4, TimeSpan.FromSeconds(1)), new HashSet<string> { "shop", "blog" }, StaleAfter, Now + TimeSpan.FromMinutes(1)));
    }
}
