namespace Portal.Lattice.Manifests;

/// <summary>Errors block a put or deploy (as in wadm); warnings do not.</summary>
public enum ManifestSeverity
{
    /// <summary>The manifest cannot be accepted.</summary>
    Error,

    /// <summary>Accepted, but probably not what the author meant.</summary>
    Warning,
}

/// <summary>
/// One finding about a manifest. <see cref="Path"/> is JSONPath-like
/// (<c>spec.components[1].traits[0].properties.target.name</c>); <see cref="Line"/> and
/// <see cref="Column"/> are 1-based, 0 when the manifest did not come from text.
/// </summary>
public sealed record ManifestDiagnostic(ManifestSeverity Severity, string Path, int Line, int Column, string Message)
{
    /// <summary><c>error at spec.components[0] (3:5): message</c>, for logs and problem details.</summary>
    public override string ToString() =>
        $"{(Severity == ManifestSeverity.Error ? "error" : "warning")} at {(Path.Length == 0 ? "$" : Path)} ({Line}:{Column}): {Message}";
}

/// <summary>A 1-based line and column in the manifest text; <see cref="None"/> when unknown.</summary>
public readonly record struct ManifestPosition(int Line, int Column)
{
    /// <summary>No position (the manifest did not come from text, or the path is not in it).</summary>
    public static ManifestPosition None => default;
}

/// <summary>The text formats a manifest may come in.</summary>
public enum ManifestFormat
{
    /// <summary>YAML (which also accepts JSON).</summary>
    Yaml,

    /// <summary>Strict JSON.</summary>
    Json,
}
