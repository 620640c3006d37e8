using Portal.Lattice.Control;

namespace Portal.Lattice.Observation;

public enum ProviderHealth
{
    Unknown,
    Healthy,
    Unhealthy,
}

public sealed record ObservedComponent(string Id, string ImageRef, uint MaxInstances, string? Name, IReadOnlyDictionary<string, string> Annotations);

public sealed record ObservedProvider(string Id, string? ImageRef, string? Name, IReadOnlyDictionary<string, string> Annotations, ProviderHealth Health);

/// <summary>A host as last seen: identity and labels from heartbeats/events, what runs on it, when it last spoke.</summary>
public sealed record ObservedHost
{
    public required string HostId { get; init; }

    public string FriendlyName { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? Version { get; init; }

    public ulong UptimeSeconds { get; init; }

    public string? UptimeHuman { get; init; }

    /// <summary>Last heartbeat, event or seed answer from this host; the reaper drops hosts silent for too long.</summary>
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>Last host_heartbeat; null when only seen through ping/events so far.</summary>
    public DateTimeOffset? LastHeartbeat { get; init; }

    public IReadOnlyDictionary<string, ObservedComponent> Components { get; init; } = new Dictionary<string, ObservedComponent>();

    public IReadOnlyDictionary<string, ObservedProvider> Providers { get; init; } = new Dictionary<string, ObservedProvider>();
}

/// <summary>An immutable picture of one lattice; a new one is made for every change.</summary>
public sealed record LatticeSnapshot
{
    public required string Lattice { get; init; }

    /// <summary>Increases with every change, so consumers can skip stale pictures.</summary>
    public long Version { get; init; }

    public DateTimeOffset TakenAt { get; init; }

    public IReadOnlyDictionary<string, ObservedHost> Hosts { get; init; } = new Dictionary<string, ObservedHost>();

    public IReadOnlyList<Link> Links { get; init; } = [];

    /// <summary>Named configs known from config_set/config_deleted events (names only).</summary>
    public IReadOnlySet<string> ConfigNames { get; init; } = new HashSet<string>();

    /// <summary>Sum of a component's instance caps over all hosts.</summary>
    public long ComponentInstances(string componentId) =>
        Hosts.Values.Sum(h => h.Components.TryGetValue(componentId, out var c) ? (long)c.MaxInstances : 0);

    /// <summary>Hosts running a provider.</summary>
    public int ProviderInstances(string providerId) => Hosts.Values.Count(h => h.Providers.ContainsKey(providerId));
}

public enum LatticeChangeKind
{
    /// <summary>The initial picture from ping + host.get is in place.</summary>
    Seeded,
    HostAdded,
    HostUpdated,
    HostRemoved,
    ComponentsChanged,
    ProvidersChanged,
    LinksChanged,
    ConfigsChanged,

    /// <summary>A host reported a failure (component_scale_failed, provider_start_failed, linkdef_set_failed).</summary>
    Failure,
}

/// <summary>One change, with the snapshot after it.</summary>
public sealed record LatticeChange(LatticeChangeKind Kind, LatticeSnapshot Snapshot, string? HostId = null, string? ResourceId = null, string? EventName = null, string? Message = null);
