namespace Portal.Lattice.Control;

/// <summary>A WIT-interface link: link.put body, an element of link.get's response, linkdef_set event data.</summary>
public sealed record Link
{
    public required string SourceId { get; init; }

    public required string Target { get; init; }

    public string Name { get; init; } = "default";

    public required string WitNamespace { get; init; }

    public required string WitPackage { get; init; }

    public List<string> Interfaces { get; init; } = [];

    public List<string> SourceConfig { get; init; } = [];

    public List<string> TargetConfig { get; init; } = [];
}

/// <summary>link.del body: the link's identity (the target is not part of it).</summary>
public sealed record DeleteLinkRequest
{
    public required string SourceId { get; init; }

    public string Name { get; init; } = "default";

    public required string WitNamespace { get; init; }

    public required string WitPackage { get; init; }
}
