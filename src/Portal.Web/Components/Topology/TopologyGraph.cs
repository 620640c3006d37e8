using Portal.Api.Topology;

namespace Portal.Web.Components.Topology;

/// <summary>
/// The canvas's elements for one view of the lattice. <see cref="CollapseKey"/> is set when the
/// lattice is too large to draw host by host and the hosts are folded by that label.
/// </summary>
public sealed record TopologyGraph(IReadOnlyDictionary<string, GraphElement> Elements, string? CollapseKey)
{
    public static readonly TopologyGraph Empty = new(new Dictionary<string, GraphElement>(), null);

    public bool Collapsed => CollapseKey is not null;

    public static string HostNodeId(string hostId) => "h:" + hostId;

    public static string GroupNodeId(string key, string value) => $"g:{key}={value}";

    public static string ApplicationNodeId(string? application) => "g:app:" + (application ?? "");

    /// <summary>What changed from <paramref name="before"/> to this graph: elements to add or update, ids to remove.</summary>
    public (IReadOnlyList<GraphElement> Upserts, IReadOnlyList<string> Removals) Since(TopologyGraph before)
    {
        var upserts = Elements.Values.Where(e => !before.Elements.TryGetValue(e.Id, out var old) || old != e).ToList();
        var removals = before.Elements.Keys.Where(id => !Elements.ContainsKey(id)).ToList();
        return (upserts, removals);
    }
}
