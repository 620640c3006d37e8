using System.Collections.Concurrent;
using Portal.Lattice.Observation;

namespace Portal.Api.Topology;

/// <summary>
/// The latest <see cref="TopologyView"/> of each lattice, shared by every open watch. A view of 500
/// hosts and 5,000 instances is a few megabytes of records: built once per change and held once,
/// not once per console page, and not rebuilt by a stale check that finds nothing changed. A
/// cached view is reused while the observer's snapshot version, the stale hosts and the tenant's
/// application names are the same (its uptimes are then as of when it was built). It holds one
/// view per lattice ever looked at, replaced on every change.
/// </summary>
public sealed class TopologyViewCache
{
    private readonly ConcurrentDictionary<string, Entry> _latest = new(StringComparer.Ordinal);

    public TopologyView Get(string lattice, LatticeSnapshot snapshot, IReadOnlySet<string> applications, TimeSpan staleAfter, DateTimeOffset now)
    {
        // Keyed by wire id: lattices of different tenants never share one.
        if (_latest.TryGetValue(snapshot.Lattice, out var cached)
            && cached.View.Version == snapshot.Version && cached.View.Lattice == lattice
            && SameStale(cached.View, snapshot, staleAfter, now) && cached.Applications.SetEquals(applications))
        {
            return cached.View;
        }

        var view = TopologyViews.From(lattice, snapshot, applications, staleAfter, now);
        _latest[snapshot.Lattice] = new Entry(view, applications.ToHashSet(StringComparer.Ordinal));
        return view;
    }

    private static bool SameStale(TopologyView view, LatticeSnapshot snapshot, TimeSpan staleAfter, DateTimeOffset now)
    {
        foreach (var host in view.Hosts)
        {
            if (!snapshot.Hosts.TryGetValue(host.Id, out var observed) || TopologyViews.IsStale(observed, staleAfter, now) != host.Stale) return false;
        }

        return true;
    }

    private sealed record Entry(TopologyView View, HashSet<string> Applications);
}
