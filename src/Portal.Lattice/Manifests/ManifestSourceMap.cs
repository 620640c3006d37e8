namespace Portal.Lattice.Manifests;

/// <summary>
/// Where each path of a parsed manifest sits in its text, so that checks made elsewhere (e.g.
/// "artifact not found" on <c>spec.components[0].properties.image</c>) can point at the line.
/// </summary>
public sealed class ManifestSourceMap
{
    private readonly Dictionary<string, ManifestPosition> _positions = new(StringComparer.Ordinal);

    /// <summary>A map that knows no positions (for manifests built in code).</summary>
    public static ManifestSourceMap Empty { get; } = new();

    /// <summary>Every path the text held, with the position of its value.</summary>
    public IReadOnlyDictionary<string, ManifestPosition> Positions => _positions;

    /// <summary>Whether the text held <paramref name="path"/> (e.g. to tell a legacy field was used).</summary>
    public bool Contains(string path) => _positions.ContainsKey(path);

    /// <summary>
    /// The position of <paramref name="path"/>'s value, else of its nearest ancestor present in the text
    /// (a missing field is reported where its parent is), else <see cref="ManifestPosition.None"/>.
    /// </summary>
    public ManifestPosition PositionOf(string path)
    {
        for (var current = path; ; current = ManifestPath.Parent(current))
        {
            if (_positions.TryGetValue(current, out var position))
            {
                return position;
            }
            if (current.Length == 0)
            {
                return ManifestPosition.None;
            }
        }
    }

    internal void Add(string path, ManifestPosition position) => _positions.TryAdd(path, position);
}
