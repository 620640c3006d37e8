using Portal.Lattice.Manifests;

namespace Portal.Web.Components.Applications.Editor;

/// <summary>A lint marker for yaml-editor.js: 1-based line and column, how many characters to underline, the message.</summary>
public sealed record YamlMarker(int Line, int Column, int Length, string Message, string Severity)
{
    public static YamlMarker From(ManifestDiagnostic d, string text) =>
        new(Math.Max(d.Line, 1), Math.Max(d.Column, 1), TokenLength(text, d.Line, d.Column), d.Message, d.Severity == ManifestSeverity.Error ? "error" : "warning");

    public static YamlMarker From(Portal.Api.Applications.Manifests.ManifestProblem p, string text) =>
        new(Math.Max(p.Line, 1), Math.Max(p.Column, 1), TokenLength(text, p.Line, p.Column), p.Message, p.IsError ? "error" : "warning");

    public bool IsError => Severity == "error";

    /// <summary>Underlines the word at the position (a key or a value) rather than a single character.</summary>
    private static int TokenLength(string text, int line, int column)
    {
        var lines = text.Split('\n');
        if (line < 1 || line > lines.Length) return 1;
        var row = lines[line - 1].TrimEnd('\r');
        var start = Math.Clamp(column - 1, 0, row.Length);
        var end = start;
        while (end < row.Length && !char.IsWhiteSpace(row[end]) && row[end] is not (':' or ',' or ']' or '}')) end++;
        return Math.Max(end - start, 1);
    }
}
