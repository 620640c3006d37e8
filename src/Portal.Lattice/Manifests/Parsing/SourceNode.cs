namespace Portal.Lattice.Manifests;

/// <summary>
/// A node of the manifest text with its position. Built from YamlDotNet's events rather than its
/// representation model so that duplicate keys and aliases are handled our way, never by an exception.
/// </summary>
internal abstract class SourceNode(ManifestPosition position)
{
    public ManifestPosition Position { get; } = position;

    /// <summary>What the node is, for "expected X, found Y" messages.</summary>
    public abstract string Describe();
}

internal sealed class ScalarNode(ManifestPosition position, string value, bool isQuoted, bool isTaggedString) : SourceNode(position)
{
    public string Value { get; } = value;

    /// <summary>Quoted and block scalars (and <c>!!str</c>) are always strings; plain ones resolve by the core schema.</summary>
    public bool IsQuoted { get; } = isQuoted || isTaggedString;

    public ManifestScalarKind Kind => IsQuoted ? ManifestScalarKind.String : ScalarResolver.Resolve(Value);

    public override string Describe() => Kind switch
    {
        ManifestScalarKind.String => $"string \"{Truncate(Value)}\"",
        ManifestScalarKind.Number => $"number {Truncate(Value)}",
        ManifestScalarKind.Boolean => $"boolean {Value}",
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

internal sealed class SequenceNode(ManifestPosition position) : SourceNode(position)
{
    public List<SourceNode> Items { get; } = [];

    public override string Describe() => "a sequence";
}

internal sealed class MappingNode(ManifestPosition position) : SourceNode(position)
{
    public List<(ScalarNode Key, SourceNode Value)> Entries { get; } = [];

    public override string Describe() => "a mapping";
}
