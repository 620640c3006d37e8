using Portal.Lattice.Observation;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Topology;

/// <summary>Turns an observer snapshot into a <see cref="TopologyView"/>: pure, so the REST call, the watch and the tests build views the same way.</summary>
public static class TopologyViews
{
    /// <param name="applications">This tenant's application names, to mark which managed-by names can be linked.</param>
    public static TopologyView From(string lattice, LatticeSnapshot snapshot, IReadOnlySet<string> applications, TimeSpan staleAfter, DateTimeOffset now)
    {
        var hosts = snapshot.Hosts.Values
            .OrderBy(h => h.FriendlyName, StringComparer.Ordinal).ThenBy(h => h.HostId, StringComparer.Ordinal)
            .Select(h => Host(h, applications, staleAfter, now))
            .ToList();
        var links = snapshot.Links
            .OrderBy(l => l.SourceId, StringComparer.Ordinal).ThenBy(l => l.WitNamespace, StringComparer.Ordinal)
            .ThenBy(l => l.WitPackage, StringComparer.Ordinal).ThenBy(l => l.Name, StringComparer.Ordinal)
            .Select(l => new TopologyLink(l.SourceId, l.Target, l.Name, l.WitNamespace, l.WitPackage, l.Interfaces.ToList(), l.SourceConfig.ToList(), l.TargetConfig.ToList()))
            .ToList();
        return new TopologyView(lattice, snapshot.Lattice, snapshot.Version, now, hosts, links, snapshot.ConfigNames.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>Silent longer than <paramref name="staleAfter"/>; the reaper removes it later.</summary>
    public static bool IsStale(ObservedHost host, TimeSpan staleAfter, DateTimeOffset now) => now - host.LastSeen > staleAfter;

    private static TopologyHost Host(ObservedHost host, IReadOnlySet<string> applications, TimeSpan staleAfter, DateTimeOffset now)
    {
        // The host reported its uptime when it last spoke; it has kept running since, unless it is stale.
        var since = now - (host.LastHeartbeat ?? host.LastSeen);
        var uptime = host.UptimeSeconds + (ulong)Math.Max(0, (long)since.TotalSeconds);
        return new TopologyHost(
            host.HostId, host.FriendlyName, host.Labels, host.Version, uptime, host.LastSeen, host.LastHeartbeat, IsStale(host, staleAfter, now),
            host.Components.Values.OrderBy(c => c.Id, StringComparer.Ordinal)
                .Select(c => new TopologyComponent(c.Id, c.Name, c.ImageRef, c.MaxInstances, c.Annotations, ManagedByOf(c.Annotations, applications)))
                .ToList(),
            host.Providers.Values.OrderBy(p => p.Id, StringComparer.Ordinal)
                .Select(p => new TopologyProvider(p.Id, p.Name, p.ImageRef, p.Health.ToString(), p.Annotations, ManagedByOf(p.Annotations, applications)))
                .ToList());
    }

    /// <summary>wadm marks what it starts with managed-by=wadm and the application's name in appspec; anything else was started by hand.</summary>
    public static ManagedBy? ManagedByOf(IReadOnlyDictionary<string, string> annotations, IReadOnlySet<string> applications) =>
        annotations.TryGetValue(ScalerAnnotations.ManagedBy, out var by) && by == ScalerAnnotations.ManagedByValue
        && annotations.TryGetValue(ScalerAnnotations.AppSpec, out var app) && !string.IsNullOrEmpty(app)
            ? new ManagedBy(app, applications.Contains(app))
            : null;
}
