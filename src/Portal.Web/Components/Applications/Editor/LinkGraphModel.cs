using Portal.Lattice.Manifests;

namespace Portal.Web.Components.Applications.Editor;

/// <summary>A graph node for link-graph.js: a component or provider of the manifest.</summary>
public sealed record GraphNode(string Id, string Label, string Kind);

/// <summary>A graph edge: one link trait, identified by its source and trait index.</summary>
public sealed record GraphEdge(string Id, string Source, string Target, string Label);

/// <summary>What the link canvas draws for a manifest.</summary>
public sealed record LinkGraphModel(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges)
{
    public static LinkGraphModel From(Manifest manifest)
    {
        var names = manifest.Components.Select(c => c.Name).ToHashSet();
        var nodes = manifest.Components
            .Select(c => new GraphNode(c.Name, c.Name, c.Type == ComponentType.Capability ? "provider" : "component"))
            .ToList();
        var edges = new List<GraphEdge>();
        foreach (var component in manifest.Components)
        {
            for (var i = 0; i < component.Traits.Count; i++)
            {
                // A link to a name that is not in the manifest cannot be drawn; the YAML markers say why.
                if (component.Traits[i] is LinkTrait link && names.Contains(link.Properties.Target.Name))
                    edges.Add(new GraphEdge(EdgeId(component.Name, i), component.Name, link.Properties.Target.Name, Label(link.Properties)));
            }
        }
        return new LinkGraphModel(nodes, edges);
    }

    /// <summary><c>wasi:http/incoming-handler (default)</c>: how a link reads on the canvas.</summary>
    public static string Label(LinkProperties link) =>
        $"{link.Namespace}:{link.Package}/{string.Join(",", link.Interfaces)} ({link.Name})";

    public static string EdgeId(string source, int traitIndex) => $"{source}#{traitIndex}";

    public static (string Source, int TraitIndex) ParseEdgeId(string id)
    {
        var hash = id.LastIndexOf('#');
        return (id[..hash], int.Parse(id[(hash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
