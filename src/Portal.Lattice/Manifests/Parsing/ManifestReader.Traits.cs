using System.Runtime.CompilerServices;

namespace Portal.Lattice.Manifests;

internal sealed partial class ManifestReader
{
    /// <summary>wadm's message when a link or scaler trait's properties fit neither shape.</summary>
    internal const string MalformedTraitMessage = "Link/Scaler trait deserialized as custom trait, ensure fields are correct";

    private ManifestTrait? ReadTrait(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.DenyUnknown, "type", "properties");
        if (fields is null)
        {
            return null;
        }
        var type = RequiredString(fields, "type");
        if (!fields.Values.TryGetValue("properties", out var properties))
        {
            Error(fields.PathOf("properties"), fields.Position, "missing field `properties`");
            return null;
        }
        if (type is null)
        {
            return null;
        }
        var propertiesPath = fields.PathOf("properties");
        if (!ManifestTrait.IsWellKnownType(type))
        {
            return Raw(properties, propertiesPath, 0) is { } raw ? new CustomTrait(type, raw) : null;
        }

        // wadm tries the link shape, then the scaler shape, then keeps raw data; a link or scaler
        // type that ends up raw is a validation error, so the manifest itself still reads.
        var diagnosticsBefore = _diagnostics.Count;
        var errorsBefore = _hardErrors;
        ManifestTrait? typed = type == ManifestTrait.LinkType
            ? ReadLink(properties, propertiesPath) is { } link ? new LinkTrait(link) : null
            : ReadScaler(properties, propertiesPath) is { } scaler
                ? new ScalerTrait(type == ManifestTrait.DaemonScalerType ? ScalerKind.Daemon : ScalerKind.Spread, scaler)
                : null;
        if (typed is not null && _hardErrors == errorsBefore)
        {
            return typed;
        }
        _hardErrors = errorsBefore;
        _diagnostics.Insert(diagnosticsBefore, new ManifestDiagnostic(
            ManifestSeverity.Error, propertiesPath, properties.Position.Line, properties.Position.Column, MalformedTraitMessage));
        var fallback = Raw(properties, propertiesPath, 0);
        return fallback is null ? null : new CustomTrait(type, fallback);
    }

    private ScalerProperties? ReadScaler(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.DenyUnknown, "instances", "replicas", "spread");
        if (fields is null)
        {
            return null;
        }
        // `replicas` is serde's alias of `instances`: one of them, not both.
        var instancesField = fields.Values.ContainsKey("instances") ? "instances" : "replicas";
        if (fields.Values.ContainsKey("instances") && fields.Values.ContainsKey("replicas"))
        {
            Error(fields.PathOf("replicas"), fields.Values["replicas"].Position, "duplicate field `instances` (`replicas` is its alias)");
            return null;
        }
        var instances = Required(fields, instancesField, (n, p) => ReadUnsigned(n, p) is { } value ? new StrongBox<int>(value) : null);
        var spread = Optional(fields, "spread", (n, p) => List(n, p, ReadSpread)) ?? [];
        return instances is null ? null : new ScalerProperties(instances.Value, spread);
    }

    private Spread? ReadSpread(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.WarnUnknown, "name", "requirements", "weight");
        if (fields is null)
        {
            return null;
        }
        var errorsBefore = _hardErrors;
        var name = RequiredString(fields, "name");
        var requirements = Required(fields, "requirements", StringMap);
        var weight = Optional(fields, "weight", (n, p) => ReadUnsigned(n, p) is { } value ? new StrongBox<int>(value) : null);
        return name is null || requirements is null || _hardErrors != errorsBefore
            ? null
            : new Spread(name, requirements, weight?.Value ?? Spread.DefaultWeight);
    }

    private LinkProperties? ReadLink(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.DenyUnknown,
            "namespace", "package", "interfaces", "name", "target", "source", "source_config", "target_config");
        if (fields is null)
        {
            return null;
        }
        var errorsBefore = _hardErrors;
        var ns = RequiredString(fields, "namespace");
        var package = RequiredString(fields, "package");
        var interfaces = Required(fields, "interfaces", StringList);
        var name = OptionalString(fields, "name") ?? LinkProperties.DefaultName;
        var target = Required(fields, "target", ReadLinkTarget);
        var source = Optional(fields, "source", ReadLinkSource);
        var legacySourceConfig = Optional(fields, "source_config", ReadConfigList);
        var legacyTargetConfig = Optional(fields, "target_config", ReadConfigList);
        if (ns is null || package is null || interfaces is null || target is null || _hardErrors != errorsBefore)
        {
            return null;
        }
        // Legacy forms: `source` wins over `source_config`; `target_config` fills a target that has no `config`.
        if (source is null && legacySourceConfig is not null)
        {
            source = new LinkSource(legacySourceConfig, []);
        }
        if (legacyTargetConfig is not null && !_sourceMap.Contains(ManifestPath.Field(fields.PathOf("target"), "config")))
        {
            target = target with { Config = legacyTargetConfig };
        }
        return new LinkProperties(ns, package, interfaces, name, target, source);
    }

    private LinkTarget? ReadLinkTarget(SourceNode node, string path)
    {
        if (node is ScalarNode)
        {
            // Legacy: `target: "<component name>"`.
            return ReadString(node, path) is { } legacyName ? new LinkTarget(legacyName, [], []) : null;
        }
        var fields = Fields(node, path, Strictness.WarnUnknown, "name", "config", "secrets");
        if (fields is null)
        {
            return null;
        }
        var errorsBefore = _hardErrors;
        var name = RequiredString(fields, "name");
        var config = Optional(fields, "config", ReadConfigList) ?? [];
        var secrets = Optional(fields, "secrets", ReadSecretList) ?? [];
        return name is null || _hardErrors != errorsBefore ? null : new LinkTarget(name, config, secrets);
    }

    private LinkSource? ReadLinkSource(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.WarnUnknown, "config", "secrets");
        if (fields is null)
        {
            return null;
        }
        var errorsBefore = _hardErrors;
        var config = Optional(fields, "config", ReadConfigList) ?? [];
        var secrets = Optional(fields, "secrets", ReadSecretList) ?? [];
        return _hardErrors != errorsBefore ? null : new LinkSource(config, secrets);
    }

    private ManifestValue? Raw(SourceNode node, string path, int depth)
    {
        if (!Visit(node, path))
        {
            return null;
        }
        if (depth > MaxRawDepth)
        {
            Error(path, node.Position, $"nesting deeper than {MaxRawDepth} levels");
            return null;
        }
        switch (node)
        {
            case ScalarNode scalar:
                var kind = scalar.Kind;
                var text = kind switch
                {
                    ManifestScalarKind.Number => ScalarResolver.CanonicalNumber(scalar.Value),
                    ManifestScalarKind.Boolean => scalar.Value.ToLowerInvariant(),
                    ManifestScalarKind.Null => "null",
                    _ => scalar.Value,
                };
                return new ManifestScalar(text, kind);
            case SequenceNode sequence:
                var items = new List<ManifestValue>(sequence.Items.Count);
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    var itemPath = ManifestPath.Item(path, i);
                    _sourceMap.Add(itemPath, sequence.Items[i].Position);
                    if (Raw(sequence.Items[i], itemPath, depth + 1) is not { } item)
                    {
                        return null;
                    }
                    items.Add(item);
                }
                return new ManifestSequence(ValueList.From(items));
            case MappingNode mapping:
                var entries = new List<KeyValuePair<string, ManifestValue>>(mapping.Entries.Count);
                foreach (var (key, valueNode) in mapping.Entries)
                {
                    var entryPath = ManifestPath.Field(path, key.Value);
                    _sourceMap.Add(entryPath, valueNode.Position);
                    if (Raw(valueNode, entryPath, depth + 1) is not { } value)
                    {
                        return null;
                    }
                    entries.Add(new(key.Value, value));
                }
                return new ManifestMapping(OrderedMap.From(entries));
            default:
                return null;
        }
    }
}
