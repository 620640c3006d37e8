namespace Portal.Api.Topology;

/// <summary>A host as one row of the Hosts table.</summary>
public sealed record HostRow(string Id, string Name, string Labels, string? Version, ulong UptimeSeconds, DateTimeOffset LastSeen, bool Stale, int Actors, int Providers);

/// <summary>A component on one host as one row of the Actors table.</summary>
public sealed record ActorRow(string HostId, string HostName, string Id, string? Name, string ImageRef, uint MaxInstances, string? ManagedBy, bool ManagedByKnown);

/// <summary>A provider on one host as one row of the Providers table.</summary>
public sealed record ProviderRow(string HostId, string HostName, string Id, string? Name, string? ImageRef, string Health, string? ManagedBy, bool ManagedByKnown);

public sealed record LinkRow(string SourceId, string Target, string Interface, string Name, string SourceConfig, string TargetConfig);

public sealed record ConfigRow(string Name);

/// <summary>The inventory tables of a <see cref="TopologyView"/>: one row per host, per instance on a host, per link, per config.</summary>
public sealed record InventoryRows(
    IReadOnlyList<HostRow> Hosts,
    IReadOnlyList<ActorRow> Actors,
    IReadOnlyList<ProviderRow> Providers,
    IReadOnlyList<LinkRow> Links,
    IReadOnlyList<ConfigRow> Configs)
{
    public static InventoryRows From(TopologyView view) => new(
        view.Hosts.Select(h => new HostRow(h.Id, h.FriendlyName, Describe(h.Labels), h.Version, h.UptimeSeconds, h.LastSeen, h.Stale, h.Components.Count, h.Providers.Count)).ToList(),
        view.Hosts.SelectMany(h => h.Components.Select(c => new ActorRow(h.Id, h.FriendlyName, c.Id, c.Name, c.ImageRef, c.MaxInstances, c.ManagedBy?.Application, c.ManagedBy?.Known == true))).ToList(),
        view.Hosts.SelectMany(h => h.Providers.Select(p => new ProviderRow(h.Id, h.FriendlyName, p.Id, p.Name, p.ImageRef, p.Health, p.ManagedBy?.Application, p.ManagedBy?.Known == true))).ToList(),
        view.Links.Select(l => new LinkRow(l.SourceId, l.Target, l.Interface, l.Name, string.Join(", ", l.SourceConfig), string.Join(", ", l.TargetConfig))).ToList(),
        view.Configs.Select(c => new ConfigRow(c)).ToList());

    /// <summary>Labels as <c>k=v, k=v</c> in key order: one string a grid sorts and filters like any other column.</summary>
    public static string Describe(IReadOnlyDictionary<string, string> labels) =>
        string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>"3d 4h", "5m 10s": how long a host has run, for people.</summary>
    public static string Uptime(ulong seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
            : span.TotalHours >= 1 ? $"{span.Hours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
            : $"{span.Seconds}s";
    }
}
