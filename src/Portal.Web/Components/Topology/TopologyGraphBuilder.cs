using Portal.Api.Topology;

namespace Portal.Web.Components.Topology;

/// <summary>
/// Turns a <see cref="TopologyView"/> into canvas elements. Pure: ids depend only on what they
/// stand for (host id, component id, label value), so the same thing keeps the same node across
/// views and the canvas can leave it where it is.
/// </summary>
public static class TopologyGraphBuilder
{
    /// <summary>Edges drawn at most: a link to an actor running on hundreds of hosts would otherwise fan out into thousands.</summary>
    public const int MaxEdges = 2000;

    private const string NoValue = "(none)";

    public static TopologyGraph Build(TopologyView view, TopologyGraphOptions options)
    {
        var elements = new Dictionary<string, GraphElement>(StringComparer.Ordinal);
        // Instance nodes by resource id, to hang links on.
        var instances = new Dictionary<string, List<GraphElement>>(StringComparer.Ordinal);
        var instanceCount = view.Hosts.Sum(h => h.Components.Count + h.Providers.Count);
        string? collapseKey = null;
        if (view.Hosts.Count > options.HostThreshold || view.Hosts.Count + instanceCount > options.NodeThreshold)
        {
            collapseKey = options.Grouping == TopologyGrouping.Label && !string.IsNullOrEmpty(options.LabelKey) ? options.LabelKey : SplittingLabel(view.Hosts);
        }

        if (collapseKey is not null)
        {
            foreach (var group in view.Hosts.GroupBy(h => LabelValue(h, collapseKey)).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var id = TopologyGraph.GroupNodeId(collapseKey, group.Key);
                if (options.Expanded.Contains(id))
                {
                    elements[id] = new GraphElement(id, "group", $"{collapseKey}={group.Key}", "ok", Lower(collapseKey, group.Key)) { ResourceId = group.Key };
                    foreach (var host in group) AddHost(elements, instances, host, TopologyGraph.HostNodeId(host.Id), id, null);
                }
                else
                {
                    elements[id] = Collapsed(id, collapseKey, group.Key, [.. group]);
                }
            }
        }
        else if (options.Grouping == TopologyGrouping.Application)
        {
            // A host appears once per application it runs something of, holding only that application's instances.
            foreach (var host in view.Hosts)
            {
                var apps = host.Components.Select(c => c.ManagedBy?.Application).Concat(host.Providers.Select(p => p.ManagedBy?.Application)).Distinct().ToList();
                if (apps.Count == 0) apps.Add(null);
                foreach (var app in apps)
                {
                    var groupId = TopologyGraph.ApplicationNodeId(app);
                    elements.TryAdd(groupId, new GraphElement(groupId, "group", app is null ? "not managed by an application" : $"application {app}", "ok", Lower(app ?? "unmanaged"))
                    {
                        Application = app,
                    });
                    AddHost(elements, instances, host, $"{TopologyGraph.HostNodeId(host.Id)}@{app}", groupId, app ?? "");
                }
            }
        }
        else
        {
            var key = options.Grouping == TopologyGrouping.Label ? options.LabelKey : null;
            foreach (var host in view.Hosts)
            {
                string? parent = null;
                if (!string.IsNullOrEmpty(key))
                {
                    var value = LabelValue(host, key);
                    parent = TopologyGraph.GroupNodeId(key, value);
                    elements.TryAdd(parent, new GraphElement(parent, "group", $"{key}={value}", "ok", Lower(key, value)) { ResourceId = value });
                }

                AddHost(elements, instances, host, TopologyGraph.HostNodeId(host.Id), parent, null);
            }
        }

        AddLinks(elements, instances, view.Links);
        return new TopologyGraph(elements, collapseKey);
    }

    /// <summary>The host labels worth offering for grouping: every key some host carries.</summary>
    public static IReadOnlyList<string> LabelKeys(TopologyView view) =>
        view.Hosts.SelectMany(h => h.Labels.Keys).Distinct(StringComparer.Ordinal)
            .OrderBy(k => k.StartsWith("hostcore.", StringComparison.Ordinal)).ThenBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The label that splits many hosts into a readable number of groups: carried by most hosts,
    /// with 2 to 50 values, our own labels before hostcore's. Null when none does (all in one group).
    /// </summary>
    public static string? SplittingLabel(IReadOnlyList<TopologyHost> hosts)
    {
        var best = hosts.SelectMany(h => h.Labels.Keys).Distinct(StringComparer.Ordinal)
            .Select(k => (Key: k, Carried: hosts.Count(h => h.Labels.ContainsKey(k)), Values: hosts.Select(h => LabelValue(h, k)).Distinct().Count()))
            .Where(k => k.Values is >= 2 and <= 50)
            .OrderBy(k => k.Key.StartsWith("hostcore.", StringComparison.Ordinal)).ThenByDescending(k => k.Carried).ThenBy(k => k.Values).ThenBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => k.Key)
            .FirstOrDefault();
        return best ?? "hostcore.os";
    }

    private static string LabelValue(TopologyHost host, string key) => host.Labels.TryGetValue(key, out var value) && value.Length > 0 ? value : NoValue;

    private static GraphElement Collapsed(string id, string key, string value, IReadOnlyList<TopologyHost> hosts)
    {
        var stale = hosts.Count(h => h.Stale);
        var components = hosts.Sum(h => h.Components.Sum(c => (long)c.MaxInstances));
        var providers = hosts.Sum(h => h.Providers.Count);
        var label = $"{key}={value}\n{Plural(hosts.Count, "host")} · {Plural(components, "actor instance")}\n{Plural(providers, "provider")}" + (stale > 0 ? $" · {stale} stale" : "");
        var state = stale == hosts.Count ? "stale" : stale > 0 ? "unknown" : "ok";
        return new GraphElement(id, "collapsed", label, state, Lower(key, value)) { ResourceId = value };
    }

    private static void AddHost(Dictionary<string, GraphElement> elements, Dictionary<string, List<GraphElement>> instances, TopologyHost host, string nodeId, string? parent, string? onlyApplication)
    {
        var name = string.IsNullOrEmpty(host.FriendlyName) ? Short(host.Id) : host.FriendlyName;
        var keyLabels = host.Labels.Where(l => !l.Key.StartsWith("hostcore.", StringComparison.Ordinal)).OrderBy(l => l.Key, StringComparer.Ordinal).Take(3).Select(l => $"{l.Key}={l.Value}");
        var label = $"{name}\n{(host.Version is null ? "" : "v" + host.Version + " · ")}up {Uptime(host.UptimeSeconds)}" + (host.Stale ? " · stale" : "");
        var labels = string.Join(", ", keyLabels);
        if (labels.Length > 0) label += "\n" + labels;
        var state = host.Stale ? "stale" : "ok";
        elements[nodeId] = new GraphElement(nodeId, "host", label, state, Lower(host.Id, host.FriendlyName, host.Version ?? "", string.Join(' ', host.Labels.Select(l => $"{l.Key}={l.Value}"))), parent)
        {
            HostId = host.Id,
        };

        // onlyApplication: "" = instances no application manages, a name = that application's, null = all.
        foreach (var component in host.Components.Where(c => onlyApplication is null || (c.ManagedBy?.Application ?? "") == onlyApplication))
        {
            var id = $"{nodeId}/c:{component.Id}";
            var element = new GraphElement(
                id, "component", $"{component.Name ?? component.Id}\n{Plural(component.MaxInstances, "instance")}", host.Stale ? "stale" : "ok",
                Lower(component.Id, component.Name ?? "", component.ImageRef, component.ManagedBy?.Application ?? ""), nodeId)
            {
                HostId = host.Id, ResourceId = component.Id, Application = component.ManagedBy?.Application,
            };
            elements[id] = element;
            Instances(instances, component.Id).Add(element);
        }

        foreach (var provider in host.Providers.Where(p => onlyApplication is null || (p.ManagedBy?.Application ?? "") == onlyApplication))
        {
            var id = $"{nodeId}/p:{provider.Id}";
            var health = host.Stale ? "stale" : provider.Health switch { "Healthy" => "ok", "Unhealthy" => "unhealthy", _ => "unknown" };
            var element = new GraphElement(
                id, "provider", $"{provider.Name ?? provider.Id}\nprovider · {provider.Health.ToLowerInvariant()}", health,
                Lower(provider.Id, provider.Name ?? "", provider.ImageRef ?? "", provider.ManagedBy?.Application ?? ""), nodeId)
            {
                HostId = host.Id, ResourceId = provider.Id, Application = provider.ManagedBy?.Application,
            };
            elements[id] = element;
            Instances(instances, provider.Id).Add(element);
        }
    }

    private static List<GraphElement> Instances(Dictionary<string, List<GraphElement>> instances, string resourceId)
    {
        if (!instances.TryGetValue(resourceId, out var list)) instances[resourceId] = list = [];
        return list;
    }

    /// <summary>
    /// A link is lattice-wide (any instance of the target may serve a call), but a call stays on
    /// the host when the target runs there; so each source instance gets one edge, to the target
    /// instance on its own host if there is one, else to the target's first instance.
    /// </summary>
    private static void AddLinks(Dictionary<string, GraphElement> elements, Dictionary<string, List<GraphElement>> instances, IReadOnlyList<TopologyLink> links)
    {
        var count = 0;
        foreach (var link in links)
        {
            if (!instances.TryGetValue(link.SourceId, out var sources) || !instances.TryGetValue(link.Target, out var targets)) continue;
            var label = $"{link.Interface} · {link.Name}";
            foreach (var source in sources)
            {
                var target = targets.FirstOrDefault(t => t.Parent == source.Parent) ?? targets[0];
                var id = $"e:{source.Id}->{target.Id}:{link.WitNamespace}:{link.WitPackage}:{link.Name}";
                if (elements.ContainsKey(id)) continue;
                elements[id] = new GraphElement(id, "link", label, "ok", Lower(link.Interface, link.Name), Source: source.Id, Target: target.Id) { ResourceId = link.SourceId };
                if (++count >= MaxEdges) return;
            }
        }
    }

    public static string Uptime(ulong seconds)
    {
        // Minutes at most: the label then changes once a minute, not with every heartbeat.
        var t = TimeSpan.FromSeconds(seconds);
        if (t.TotalMinutes < 1) return "<1m";
        if (t.TotalHours < 1) return $"{t.Minutes}m";
        if (t.TotalDays < 1) return $"{t.Hours}h {t.Minutes}m";
        return $"{(int)t.TotalDays}d {t.Hours}h";
    }

    private static string Plural(long count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Short(string id) => id.Length > 12 ? id[..12] + "…" : id;

    private static string Lower(params string[] parts) => string.Join(' ', parts).ToLowerInvariant();
}
