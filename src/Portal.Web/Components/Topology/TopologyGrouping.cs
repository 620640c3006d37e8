namespace Portal.Web.Components.Topology;

/// <summary>How the canvas groups hosts: not at all, by the application that manages the instances, or by a host label's value.</summary>
public enum TopologyGrouping
{
    Hosts,
    Application,
    Label,
}

/// <summary>
/// What the person chose for the canvas. Past <see cref="HostThreshold"/> hosts or
/// <see cref="NodeThreshold"/> nodes the hosts fold into one node per value of a label
/// (<see cref="LabelKey"/> when grouping by label, else the label that splits the hosts best);
/// <see cref="Expanded"/> holds the groups opened again by a click.
/// </summary>
public sealed record TopologyGraphOptions(TopologyGrouping Grouping = TopologyGrouping.Hosts, string? LabelKey = null)
{
    public IReadOnlySet<string> Expanded { get; init; } = new HashSet<string>();

    public int HostThreshold { get; init; } = 100;

    public int NodeThreshold { get; init; } = 1000;
}
