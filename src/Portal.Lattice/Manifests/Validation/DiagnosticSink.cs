namespace Portal.Lattice.Manifests;

/// <summary>Collects validation findings, giving each the position its path has in the source text.</summary>
internal sealed class DiagnosticSink(ManifestSourceMap sourceMap)
{
    public List<ManifestDiagnostic> Diagnostics { get; } = [];

    public ManifestSourceMap SourceMap { get; } = sourceMap;

    public void Error(string path, string message) => Add(ManifestSeverity.Error, path, message);

    public void Warning(string path, string message) => Add(ManifestSeverity.Warning, path, message);

    private void Add(ManifestSeverity severity, string path, string message)
    {
        var position = SourceMap.PositionOf(path);
        Diagnostics.Add(new ManifestDiagnostic(severity, path, position.Line, position.Column, message));
    }
}
