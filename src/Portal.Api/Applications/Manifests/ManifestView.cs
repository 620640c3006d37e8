namespace Portal.Api.Applications.Manifests;

/// <summary>
/// The parts of a parsed manifest the portal itself reads: names, version, images and links.
/// Everything else stays in the canonical JSON the reconciler reads.
/// </summary>
public sealed record ManifestView(string Name, string? Version, string? Description, IReadOnlyList<ManifestComponentView> Components)
{
    public IEnumerable<string> ImageRefs => Components.Select(c => c.Image).OfType<string>().Distinct();
}

/// <param name="Path">Where the component sits, e.g. <c>spec.components[0]</c>.</param>
/// <param name="Type"><c>component</c> or <c>capability</c>.</param>
/// <param name="Image">The image reference; null for a component of a shared application.</param>
public sealed record ManifestComponentView(string Path, string Name, string Type, string? Image, IReadOnlyList<ManifestLinkView> Links);

/// <param name="Path">Where the link trait sits, e.g. <c>spec.components[2].traits[0]</c>.</param>
public sealed record ManifestLinkView(string Path, string Namespace, string Package, IReadOnlyList<string> Interfaces, string Target)
{
    /// <summary>The link's interfaces as full names: <c>wasi:http/incoming-handler</c>.</summary>
    public IEnumerable<string> QualifiedInterfaces => Interfaces.Select(i => $"{Namespace}:{Package}/{i}");
}

/// <summary>
/// A manifest read from text: the view (null when the text could not be understood at all), what
/// wadm's rules found, where each path sits in the text, and the canonical forms to store.
/// </summary>
public sealed record ManifestReadResult(
    ManifestView? Manifest,
    IReadOnlyList<ManifestProblem> Problems,
    string Format,
    string CanonicalJson,
    string CanonicalYaml,
    Func<string, (int Line, int Column)> PositionOf)
{
    public bool HasErrors => Problems.Any(p => p.IsError);
}
