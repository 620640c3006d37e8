using System.Text.Json.Serialization;

namespace Portal.Web.Components.Topology;

/// <summary>
/// One node or edge of the topology canvas, as wwwroot/js/topology-graph.js draws it. Records
/// compare by value, so the page sends only elements that differ from what the canvas has.
/// </summary>
/// <param name="Kind">host, component, provider, group (by application or host label), collapsed (a label group folded into one node), or link.</param>
/// <param name="State">ok, unknown (provider health not reported yet), unhealthy, or stale (the host stopped heartbeating).</param>
/// <param name="Search">Lower-case text the search box matches against.</param>
public sealed record GraphElement(string Id, string Kind, string Label, string State, string Search, string? Parent = null, string? Source = null, string? Target = null)
{
    /// <summary>The host a host or instance node stands for (not sent to the browser).</summary>
    [JsonIgnore] public string? HostId { get; init; }

    /// <summary>The component or provider id of an instance node, the label value of a group (not sent to the browser).</summary>
    [JsonIgnore] public string? ResourceId { get; init; }

    /// <summary>The application that manages an instance, when wadm started it.</summary>
    [JsonIgnore] public string? Application { get; init; }

    [JsonIgnore] public bool IsEdge => Source is not null;
}
