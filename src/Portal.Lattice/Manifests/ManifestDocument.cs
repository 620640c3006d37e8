namespace Portal.Lattice.Manifests;

/// <summary>
/// What <see cref="ManifestParser.Parse"/> read: the manifest (null when the text could not be
/// read into one), the parse diagnostics, and where every path sits in the text.
/// </summary>
public sealed class ManifestDocument
{
    internal ManifestDocument(Manifest? manifest, IReadOnlyList<ManifestDiagnostic> diagnostics, ManifestSourceMap sourceMap, ManifestFormat format)
    {
        Manifest = manifest;
        Diagnostics = diagnostics;
        SourceMap = sourceMap;
        Format = format;
    }

    /// <summary>The manifest; null when a parse error made it unreadable.</summary>
    public Manifest? Manifest { get; }

    /// <summary>Parse diagnostics, in document order. A malformed link/scaler trait is an error here while <see cref="Manifest"/> is still set (as in wadm, where it fails validation, not parsing).</summary>
    public IReadOnlyList<ManifestDiagnostic> Diagnostics { get; }

    /// <summary>Path → position of everything the text held.</summary>
    public ManifestSourceMap SourceMap { get; }

    /// <summary>The format the text was read as.</summary>
    public ManifestFormat Format { get; }

    /// <summary>Whether any parse diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == ManifestSeverity.Error);

    /// <summary>The position of <paramref name="path"/> (or of its nearest ancestor in the text), to attach to a caller's own checks.</summary>
    public ManifestPosition PositionOf(string path) => SourceMap.PositionOf(path);

    /// <summary>A diagnostic at <paramref name="path"/> with this document's position for it.</summary>
    public ManifestDiagnostic Diagnostic(ManifestSeverity severity, string path, string message)
    {
        var position = PositionOf(path);
        return new ManifestDiagnostic(severity, path, position.Line, position.Column, message);
    }
}
