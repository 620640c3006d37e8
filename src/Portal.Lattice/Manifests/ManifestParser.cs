using System.Text.Json;

namespace Portal.Lattice.Manifests;

/// <summary>Reads wadm application manifests from YAML or JSON text.</summary>
public static class ManifestParser
{
    /// <summary>
    /// Parses <paramref name="text"/>. <paramref name="format"/> null or <see cref="ManifestFormat.Yaml"/>
    /// accepts YAML and therefore JSON; <see cref="ManifestFormat.Json"/> refuses what is not strict JSON.
    /// Never throws: every problem is a diagnostic with a path, line and column.
    /// </summary>
    public static ManifestDocument Parse(string text, ManifestFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var effectiveFormat = format ?? ManifestFormat.Yaml;
        var diagnostics = new List<ManifestDiagnostic>();
        var sourceMap = new ManifestSourceMap();
        var strictJson = effectiveFormat == ManifestFormat.Json;
        if (strictJson && JsonSyntaxError(text) is { } jsonError)
        {
            diagnostics.Add(jsonError);
            return new ManifestDocument(null, diagnostics, sourceMap, effectiveFormat);
        }
        var root = SourceTreeBuilder.Build(text, diagnostics);
        Manifest? manifest = null;
        if (root is not null)
        {
            sourceMap.Add("", root.Position);
            manifest = ManifestReader.Read(root, diagnostics, sourceMap, strictJson);
        }
        return new ManifestDocument(manifest, diagnostics, sourceMap, effectiveFormat);
    }

    // JSON is a subset of YAML, so YAML reads it with positions; this only refuses the YAML that is not JSON.
    private static ManifestDiagnostic? JsonSyntaxError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
            return null;
        }
        catch (JsonException exception)
        {
            var line = (int)Math.Min((exception.LineNumber ?? 0) + 1, int.MaxValue);
            var column = (int)Math.Min((exception.BytePositionInLine ?? 0) + 1, int.MaxValue);
            var message = exception.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return new ManifestDiagnostic(ManifestSeverity.Error, "", line, column, "not valid JSON: " + (cut > 0 ? message[..cut] : message));
        }
    }
}
