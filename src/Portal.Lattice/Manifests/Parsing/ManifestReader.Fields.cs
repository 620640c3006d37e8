namespace Portal.Lattice.Manifests;

internal sealed partial class ManifestReader
{
    /// <summary>Whether a mapping refuses fields it does not know (serde's <c>deny_unknown_fields</c>) or only warns.</summary>
    private enum Strictness
    {
        DenyUnknown,
        WarnUnknown,
    }

    /// <summary>The known fields present in one mapping, by name, with the mapping's own path.</summary>
    private sealed class FieldSet(string path, ManifestPosition position)
    {
        public string Path { get; } = path;

        public ManifestPosition Position { get; } = position;

        public Dictionary<string, SourceNode> Values { get; } = new(StringComparer.Ordinal);

        public string PathOf(string field) => ManifestPath.Field(Path, field);
    }

    private FieldSet? Fields(SourceNode node, string path, Strictness strictness, params string[] known)
    {
        if (!Visit(node, path))
        {
            return null;
        }
        if (node is not MappingNode mapping)
        {
            Error(path, node.Position, $"expected a mapping, found {node.Describe()}");
            return null;
        }
        var fields = new FieldSet(path, node.Position);
        foreach (var (key, value) in mapping.Entries)
        {
            if (Array.IndexOf(known, key.Value) < 0)
            {
                var fieldPath = ManifestPath.Field(path, key.Value);
                var expected = string.Join(", ", known.Select(k => $"`{k}`"));
                if (strictness == Strictness.DenyUnknown)
                {
                    Error(fieldPath, key.Position, $"unknown field `{key.Value}`, expected one of {expected}");
                }
                else
                {
                    Warning(fieldPath, key.Position, $"unknown field `{key.Value}` is ignored (known: {expected})");
                }
                continue;
            }
            fields.Values[key.Value] = value;
            _sourceMap.Add(fields.PathOf(key.Value), value.Position);
        }
        return fields;
    }

    /// <summary>A required field: missing (or null) is an error reported at the parent mapping.</summary>
    private T? Required<T>(FieldSet fields, string name, Func<SourceNode, string, T?> read) where T : class
    {
        if (!fields.Values.TryGetValue(name, out var node) || IsNull(node))
        {
            Error(fields.PathOf(name), node?.Position ?? fields.Position, $"missing field `{name}`");
            return null;
        }
        return read(node, fields.PathOf(name));
    }

    /// <summary>An optional field: missing or null reads as null, as serde reads an <c>Option</c>.</summary>
    private T? Optional<T>(FieldSet fields, string name, Func<SourceNode, string, T?> read) where T : class =>
        fields.Values.TryGetValue(name, out var node) && !IsNull(node) ? read(node, fields.PathOf(name)) : null;

    private string? RequiredString(FieldSet fields, string name) => Required(fields, name, ReadString);

    private string? OptionalString(FieldSet fields, string name) => Optional(fields, name, ReadString);

    private string? ReadString(SourceNode node, string path)
    {
        if (!Visit(node, path))
        {
            return null;
        }
        // serde_yaml reads any plain scalar as a string where one is expected (`version: 1.0`); JSON does not.
        if (node is ScalarNode scalar && scalar.Kind != ManifestScalarKind.Null && (scalar.IsQuoted || !_strictJson))
        {
            return scalar.Value;
        }
        Error(path, node.Position, $"expected a string, found {node.Describe()}");
        return null;
    }

    private int? ReadUnsigned(SourceNode node, string path)
    {
        if (!Visit(node, path))
        {
            return null;
        }
        if (node is ScalarNode { IsQuoted: false } scalar && ScalarResolver.ParseInteger(scalar.Value) is { } value)
        {
            if (value >= 0 && value <= int.MaxValue)
            {
                return (int)value;
            }
            Error(path, node.Position, $"expected an unsigned integer up to {int.MaxValue}, found {value}");
            return null;
        }
        Error(path, node.Position, $"expected an unsigned integer, found {node.Describe()}");
        return null;
    }

    private ValueList<T>? List<T>(SourceNode node, string path, Func<SourceNode, string, T?> readItem) where T : class
    {
        if (!Visit(node, path))
        {
            return null;
        }
        if (node is not SequenceNode sequence)
        {
            Error(path, node.Position, $"expected a sequence, found {node.Describe()}");
            return null;
        }
        var items = new List<T>(sequence.Items.Count);
        var complete = true;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = ManifestPath.Item(path, i);
            _sourceMap.Add(itemPath, sequence.Items[i].Position);
            if (readItem(sequence.Items[i], itemPath) is { } item)
            {
                items.Add(item);
            }
            else
            {
                complete = false;
            }
        }
        return complete ? ValueList.From(items) : null;
    }

    private ValueList<string>? StringList(SourceNode node, string path) => List(node, path, ReadString);

    private OrderedMap<string>? StringMap(SourceNode node, string path)
    {
        if (!Visit(node, path))
        {
            return null;
        }
        if (node is not MappingNode mapping)
        {
            Error(path, node.Position, $"expected a mapping of strings, found {node.Describe()}");
            return null;
        }
        var entries = new List<KeyValuePair<string, string>>(mapping.Entries.Count);
        var complete = true;
        foreach (var (key, valueNode) in mapping.Entries)
        {
            var entryPath = ManifestPath.Field(path, key.Value);
            _sourceMap.Add(entryPath, valueNode.Position);
            if (ReadString(valueNode, entryPath) is { } value)
            {
                entries.Add(new(key.Value, value));
            }
            else
            {
                complete = false;
            }
        }
        return complete ? OrderedMap.From(entries) : null;
    }

    private static bool IsNull(SourceNode node) => node is ScalarNode { Kind: ManifestScalarKind.Null };

    /// <summary>Counts a visit; false (with one error) once aliases have expanded the document too far.</summary>
    private bool Visit(SourceNode node, string path)
    {
        if (++_visited <= MaxVisitedNodes)
        {
            return true;
        }
        if (_visited == MaxVisitedNodes + 1)
        {
            Error(path, node.Position, $"the manifest expands to more than {MaxVisitedNodes} nodes (aliases?)");
        }
        return false;
    }

    private void Error(string path, ManifestPosition position, string message)
    {
        _hardErrors++;
        _diagnostics.Add(new ManifestDiagnostic(ManifestSeverity.Error, path, position.Line, position.Column, message));
    }

    private void Warning(string path, ManifestPosition position, string message) =>
        _diagnostics.Add(new ManifestDiagnostic(ManifestSeverity.Warning, path, position.Line, position.Column, message));
}
