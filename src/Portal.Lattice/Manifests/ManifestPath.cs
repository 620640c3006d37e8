using System.Text.RegularExpressions;

namespace Portal.Lattice.Manifests;

/// <summary>Builds the JSONPath-like paths diagnostics and the source map use.</summary>
public static partial class ManifestPath
{
    /// <summary>The path of field <paramref name="name"/> under <paramref name="parent"/>; keys that are not plain words are bracketed: <c>labels['app.io/x']</c>.</summary>
    public static string Field(string parent, string name)
    {
        if (!PlainKey().IsMatch(name))
        {
            return $"{parent}['{name.Replace("\\", "\\\\").Replace("'", "\\'")}']";
        }
        return parent.Length == 0 ? name : parent + "." + name;
    }

    /// <summary>The path of item <paramref name="index"/> of the list at <paramref name="parent"/>.</summary>
    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The path one step up (<c>a.b[2]</c> → <c>a.b</c> → <c>a</c> → empty).</summary>
    public static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            // Skip a quoted key, whose text may hold brackets and dots.
            var open = path.EndsWith("']") ? path.LastIndexOf("['", StringComparison.Ordinal) : path.LastIndexOf('[');
            return open < 0 ? "" : path[..open];
        }
        var dot = path.LastIndexOf('.');
        return dot < 0 ? "" : path[..dot];
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex PlainKey();
}
