using Portal.Lattice.Control;
using Portal.Lattice.Observation;
using Portal.Lattice.Reconciliation;

namespace Portal.Tests.Unit.Reconciliation;

/// <summary>
/// Builds observed lattices for scaler tests, and applies commands to them the way hosts would
/// (through <see cref="LatticeProjection"/>), so a test can run a pass, "deliver" its commands and
/// run the next one.
/// </summary>
internal sealed class LatticeBuilder
{
    private readonly Dictionary<string, ObservedHost> _hosts = new(StringComparer.Ordinal);
    private readonly List<Link> _links = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _configs = new(StringComparer.Ordinal);

    public LatticeBuilder Host(string id, params (string Key, string Value)[] labels)
    {
        _hosts[id] = new ObservedHost { HostId = id, Labels = labels.ToDictionary(l => l.Key, l => l.Value) };
        return this;
    }

    public LatticeBuilder Component(string hostId, string componentId, string image, uint count, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var host = _hosts[hostId];
        var components = new Dictionary<string, ObservedComponent>(host.Components) { [componentId] = new(componentId, image, count, null, annotations ?? new Dictionary<string, string>()) };
        _hosts[hostId] = host with { Components = components };
        return this;
    }

    public LatticeBuilder Provider(string hostId, string providerId, string image, IReadOnlyDictionary<string, string>? annotations = null, ProviderHealth health = ProviderHealth.Healthy)
    {
        var host = _hosts[hostId];
        var providers = new Dictionary<string, ObservedProvider>(host.Providers) { [providerId] = new(providerId, image, null, annotations ?? new Dictionary<string, string>(), health) };
        _hosts[hostId] = host with { Providers = providers };
        return this;
    }

    public LatticeBuilder Config(string name, params (string Key, string Value)[] values)
    {
        _configs[name] = values.ToDictionary(v => v.Key, v => v.Value);
        return this;
    }

    public LatticeBuilder WithLink(Link link)
    {
        _links.Add(link);
        return this;
    }

    public LatticeBuilder RemoveHost(string id)
    {
        _hosts.Remove(id);
        return this;
    }

    public LatticeState State => new()
    {
        Snapshot = new LatticeSnapshot { Lattice = "test", Hosts = new Dictionary<string, ObservedHost>(_hosts) },
        Links = _links.ToList(),
        Configs = new Dictionary<string, IReadOnlyDictionary<string, string>>(_configs),
    };

    /// <summary>What hosts do with these commands, applied to this lattice (the product's own projection).</summary>
    public LatticeBuilder Apply(IEnumerable<LatticeCommand> commands)
    {
        var next = LatticeProjection.Apply(State, commands);
        _hosts.Clear();
        foreach (var (id, host) in next.Snapshot.Hosts) _hosts[id] = host;
        _links.Clear();
        _links.AddRange(next.Links);
        _configs.Clear();
        foreach (var (name, values) in next.Configs) _configs[name] = values;
        return this;
    }

    public static Spread Zone(string name, string zone, uint? weight = null) => new(name, new Dictionary<string, string> { ["zone"] = zone }, weight);
}
