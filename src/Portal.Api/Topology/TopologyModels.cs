namespace Portal.Api.Topology;

/// <summary>
/// What runs in one lattice, as the portal's observer sees it now: the shape the topology page,
/// the inventory tables and <c>GET .../lattices/{lattice}/topology</c> share.
/// </summary>
/// <param name="Lattice">The environment's name in the tenant (e.g. <c>dev</c>).</param>
/// <param name="LatticeId">The wire lattice id hosts join.</param>
/// <param name="Version">The observer's snapshot version: increases with every change, so a consumer can skip stale views.</param>
/// <param name="Configs">Names of the named configs known from config events.</param>
public sealed record TopologyView(
    string Lattice,
    string LatticeId,
    long Version,
    DateTimeOffset TakenAt,
    IReadOnlyList<TopologyHost> Hosts,
    IReadOnlyList<TopologyLink> Links,
    IReadOnlyList<string> Configs)
{
    public int ComponentInstances => Hosts.Sum(h => h.Components.Sum(c => (int)c.MaxInstances));

    public int ProviderInstances => Hosts.Sum(h => h.Providers.Count);
}

/// <summary>A host and what runs on it.</summary>
/// <param name="UptimeSeconds">Uptime the host last reported, advanced to <see cref="TopologyView.TakenAt"/>.</param>
/// <param name="LastSeen">Last heartbeat, event or seed answer from the host.</param>
/// <param name="Stale">Silent for longer than the stale window (about two heartbeats) but not yet reaped: shown greyed out.</param>
public sealed record TopologyHost(
    string Id,
    string FriendlyName,
    IReadOnlyDictionary<string, string> Labels,
    string? Version,
    ulong UptimeSeconds,
    DateTimeOffset LastSeen,
    DateTimeOffset? LastHeartbeat,
    bool Stale,
    IReadOnlyList<TopologyComponent> Components,
    IReadOnlyList<TopologyProvider> Providers);

/// <summary>A component (actor) on one host. <paramref name="MaxInstances"/> is its instance cap there (the scale count).</summary>
public sealed record TopologyComponent(
    string Id,
    string? Name,
    string ImageRef,
    uint MaxInstances,
    IReadOnlyDictionary<string, string> Annotations,
    ManagedBy? ManagedBy);

/// <summary>A capability provider on one host. <paramref name="Health"/> is Unknown until a health check event arrives.</summary>
public sealed record TopologyProvider(
    string Id,
    string? Name,
    string? ImageRef,
    string Health,
    IReadOnlyDictionary<string, string> Annotations,
    ManagedBy? ManagedBy);

/// <summary>
/// The application (wadm's <c>wasmcloud.dev/appspec</c>) that started an instance.
/// <paramref name="Known"/>: this tenant has an application of that name, so the UI can link to it.
/// </summary>
public sealed record ManagedBy(string Application, bool Known);

/// <summary>A link; <paramref name="Interface"/> is <c>namespace:package/iface1,iface2</c>, as edges are labelled.</summary>
public sealed record TopologyLink(
    string SourceId,
    string Target,
    string Name,
    string WitNamespace,
    string WitPackage,
    IReadOnlyList<string> Interfaces,
    IReadOnlyList<string> SourceConfig,
    IReadOnlyList<string> TargetConfig)
{
    public string Interface => $"{WitNamespace}:{WitPackage}/{string.Join(',', Interfaces)}";
}

/// <summary>One thing that happened, as the observer reported it (or the stale check).</summary>
/// <param name="Kind">Seeded, HostAdded, HostUpdated, HostRemoved, ComponentsChanged, ProvidersChanged, LinksChanged, ConfigsChanged, Failure, or HostStale / HostFresh from the stale check.</param>
/// <param name="EventName">The lattice event behind it (e.g. <c>component_scaled</c>), when there was one.</param>
public sealed record TopologyChange(string Kind, string? HostId, string? ResourceId, string? EventName, string? Message, DateTimeOffset At);

/// <summary>A new view and the changes that led to it since the previous one (bursts arrive as one update).</summary>
public sealed record TopologyUpdate(TopologyView View, IReadOnlyList<TopologyChange> Changes);

/// <summary>PUT .../hosts/{hostId}/labels/{key} body.</summary>
public sealed record PutHostLabelRequest(string? Value);

/// <summary>POST .../hosts/{hostId}/components/{componentId}/scale body: the new instance cap on that host; 0 stops the component there.</summary>
public sealed record ScaleComponentRequest(int? Count);

/// <summary>A lattice event as hosts published it: the CloudEvent's id, type and source, and the whole event as JSON.</summary>
public sealed record LatticeEventMessage(string Id, string Type, string Source, DateTimeOffset Time, string Json);
