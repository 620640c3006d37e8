namespace Portal.Lattice.Manifests;

/// <summary>
/// Turns a <see cref="SourceNode"/> tree into the model the way wadm's serde types would, but
/// collecting every problem (with its path and position) instead of stopping at the first.
/// </summary>
internal sealed partial class ManifestReader
{
    // Aliases can make a small text expand exponentially; past this many visited nodes we stop.
    private const int MaxVisitedNodes = 100_000;
    private const int MaxRawDepth = 128;

    private readonly List<ManifestDiagnostic> _diagnostics;
    private readonly ManifestSourceMap _sourceMap;
    private readonly bool _strictJson;
    private int _hardErrors;
    private int _visited;

    private ManifestReader(List<ManifestDiagnostic> diagnostics, ManifestSourceMap sourceMap, bool strictJson)
    {
        _diagnostics = diagnostics;
        _sourceMap = sourceMap;
        _strictJson = strictJson;
    }

    /// <summary>The manifest, or null when an error other than a malformed trait made it unreadable.</summary>
    public static Manifest? Read(SourceNode root, List<ManifestDiagnostic> diagnostics, ManifestSourceMap sourceMap, bool strictJson)
    {
        var reader = new ManifestReader(diagnostics, sourceMap, strictJson);
        var manifest = reader.ReadManifest(root);
        return reader._hardErrors == 0 ? manifest : null;
    }

    private Manifest? ReadManifest(SourceNode root)
    {
        var fields = Fields(root, "", Strictness.DenyUnknown, "apiVersion", "kind", "metadata", "spec");
        if (fields is null)
        {
            return null;
        }
        var apiVersion = RequiredString(fields, "apiVersion");
        var kind = RequiredString(fields, "kind");
        var metadata = Required(fields, "metadata", ReadMetadata);
        var spec = Required(fields, "spec", ReadSpec);
        return apiVersion is null || kind is null || metadata is null || spec is null
            ? null
            : new Manifest(apiVersion, kind, metadata, spec);
    }

    private ManifestMetadata? ReadMetadata(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.WarnUnknown, "name", "annotations", "labels");
        if (fields is null)
        {
            return null;
        }
        var name = RequiredString(fields, "name");
        var annotations = Required(fields, "annotations", StringMap);
        var labels = Optional(fields, "labels", StringMap) ?? OrderedMap<string>.Empty;
        return name is null || annotations is null ? null : new ManifestMetadata(name, annotations, labels);
    }

    private ManifestSpec? ReadSpec(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.WarnUnknown, "components", "policies");
        if (fields is null)
        {
            return null;
        }
        var components = Required(fields, "components", (n, p) => List(n, p, ReadComponent));
        var policies = Optional(fields, "policies", (n, p) => List(n, p, ReadPolicy)) ?? [];
        return components is null ? null : new ManifestSpec(components, policies);
    }

    private ManifestPolicy? ReadPolicy(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.WarnUnknown, "name", "type", "properties");
        if (fields is null)
        {
            return null;
        }
        var name = RequiredString(fields, "name");
        var type = RequiredString(fields, "type");
        var properties = Required(fields, "properties", StringMap);
        return name is null || type is null || properties is null ? null : new ManifestPolicy(name, type, properties);
    }
}
