using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Portal.Lattice.Manifests;

/// <summary>
/// Reads YAML (or JSON, its subset) into <see cref="SourceNode"/>s with positions. Syntax errors,
/// duplicate keys, extra documents and unknown aliases become diagnostics; nothing throws.
/// </summary>
internal sealed class SourceTreeBuilder
{
    private const string StringTag = "tag:yaml.org,2002:str";

    private readonly List<ManifestDiagnostic> _diagnostics;
    private readonly Dictionary<string, SourceNode> _anchors = new(StringComparer.Ordinal);
    private readonly Stack<(SourceNode Container, ScalarNode? PendingKey, bool SkipValue)> _open = new();
    private SourceNode? _root;

    private SourceTreeBuilder(List<ManifestDiagnostic> diagnostics) => _diagnostics = diagnostics;

    /// <summary>The document's root node, or null when the text is empty or not YAML (diagnostics say why).</summary>
    public static SourceNode? Build(string text, List<ManifestDiagnostic> diagnostics) =>
        new SourceTreeBuilder(diagnostics).Run(text);

    private SourceNode? Run(string text)
    {
        var documents = 0;
        var last = new ManifestPosition(1, 1);
        Scanner? scanner = null;
        try
        {
            scanner = new Scanner(new StringReader(text));
            var parser = new Parser(scanner);
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = At(current.Start);
                switch (current)
                {
                    case DocumentStart when ++documents > 1:
                        Error(last, "the manifest must be a single YAML document");
                        return null;
                    case Scalar scalar:
                        Attach(Remember(scalar.Anchor, new ScalarNode(At(scalar.Start), scalar.Value,
                            scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any),
                            scalar.Tag.IsEmpty is false && (scalar.Tag.Value == StringTag || scalar.Tag.Value == "!"))));
                        break;
                    case SequenceStart sequence:
                        Open(Remember(sequence.Anchor, new SequenceNode(At(sequence.Start))));
                        break;
                    case MappingStart mapping:
                        Open(Remember(mapping.Anchor, new MappingNode(At(mapping.Start))));
                        break;
                    case SequenceEnd or MappingEnd:
                        Attach(_open.Pop().Container);
                        break;
                    case AnchorAlias alias:
                        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            Error(last, $"unknown alias *{alias.Value.Value}");
                            return null;
                        }
                        Attach(target);
                        break;
                }
            }
        }
        catch (YamlException exception)
        {
            Error(At(exception.Start), "YAML syntax error: " + exception.Message);
            return null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner throws these on some malformed input (e.g. an unclosed flow mapping);
            // the contract is diagnostics, never exceptions, and it is still just bad input.
            Error(scanner is null ? last : At(scanner.CurrentPosition), "YAML syntax error: the text cannot be read past this point (an unclosed bracket or quote?)");
            return null;
        }
        if (_root is null)
        {
            Error(new ManifestPosition(1, 1), "the manifest is empty");
        }
        return _root;
    }

    private SourceNode Remember(AnchorName anchor, SourceNode node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }
        return node;
    }

    private void Open(SourceNode container)
    {
        // A container is attached to its parent when it ends; until then it is the innermost open one.
        _open.Push((container, null, false));
    }

    private void Attach(SourceNode node)
    {
        if (_open.Count == 0)
        {
            _root = node;
            return;
        }
        var (parent, pendingKey, skipValue) = _open.Pop();
        switch (parent)
        {
            case SequenceNode sequence:
                sequence.Items.Add(node);
                _open.Push((parent, null, false));
                return;
            case MappingNode mapping when pendingKey is null:
                var key = node as ScalarNode;
                if (key is null)
                {
                    Error(node.Position, "mapping keys must be plain strings");
                    key = new ScalarNode(node.Position, "?", isQuoted: true, isTaggedString: false);
                    _open.Push((parent, key, true));
                    return;
                }
                var duplicate = mapping.Entries.Any(e => e.Key.Value == key.Value);
                if (duplicate)
                {
                    Error(key.Position, $"duplicate key `{key.Value}`");
                }
                _open.Push((parent, key, duplicate));
                return;
            case MappingNode mapping:
                if (!skipValue)
                {
                    mapping.Entries.Add((pendingKey, node));
                }
                _open.Push((parent, null, false));
                return;
        }
    }

    private void Error(ManifestPosition position, string message) =>
        _diagnostics.Add(new ManifestDiagnostic(ManifestSeverity.Error, "", position.Line, position.Column, message));

    private static ManifestPosition At(Mark mark) => new((int)Math.Min(mark.Line, int.MaxValue), (int)Math.Min(mark.Column, int.MaxValue));
}
