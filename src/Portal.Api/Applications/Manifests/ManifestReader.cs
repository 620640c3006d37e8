using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Api.Applications.Manifests;

/// <summary>
/// The one place the Applications feature parses and checks a wadm manifest (lattice-protocol
/// 4.1). Interim: a YamlDotNet tree with wadm's core rules, until the manifest library
/// (Portal.Lattice.Manifests) is merged and this delegates to it. Callers see only
/// <see cref="ManifestReadResult"/>, so that swap changes no caller.
/// </summary>
public static partial class ManifestReader
{
    public const string Yaml = "yaml";
    public const string Json = "json";

    [GeneratedRegex(@"^[-\w]+$")]
    private static partial Regex NamePattern();

    /// <param name="format"><see cref="Yaml"/>, <see cref="Json"/>, or null to try YAML then JSON as wadm does.</param>
    /// <param name="newVersion">Called when the manifest names no version; its answer is written into the canonical forms.</param>
    public static ManifestReadResult Read(string text, string? format, Func<string> newVersion)
    {
        var problems = new List<ManifestProblem>();
        var positions = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        (int, int) PositionOf(string path)
        {
            for (var current = path; ; current = Parent(current))
            {
                if (positions.TryGetValue(current, out var position)) return position;
                if (current.Length == 0) return (0, 0);
            }
        }

        var used = format ?? Yaml;
        if (format == Json && StrictJsonError(text) is { } jsonError)
        {
            problems.Add(jsonError);
            return new ManifestReadResult(null, problems, Json, "", "", PositionOf);
        }

        JsonNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count != 1) throw new YamlException(Mark.Empty, Mark.Empty, "A manifest is exactly one YAML or JSON document.");
            root = Convert(stream.Documents[0].RootNode, "", positions, problems);
        }
        catch (YamlException e)
        {
            // wadm tries YAML first and JSON second; JSON's error is the clearer one for JSON-looking text.
            if (format is null && text.TrimStart().StartsWith('{') && StrictJsonError(text) is { } asJson)
            {
                problems.Add(asJson);
                return new ManifestReadResult(null, problems, Json, "", "", PositionOf);
            }

            problems.Add(new ManifestProblem("", (int)e.Start.Line, (int)e.Start.Column, $"Not valid {(format == Json ? "JSON" : "YAML")}: {e.Message}", ManifestProblem.Error));
            return new ManifestReadResult(null, problems, used, "", "", PositionOf);
        }

        if (format is null && text.TrimStart().StartsWith('{')) used = Json;
        if (root is not JsonObject document)
        {
            problems.Add(new ManifestProblem("", 1, 1, "A manifest is a mapping with apiVersion, kind, metadata and spec.", ManifestProblem.Error));
            return new ManifestReadResult(null, problems, used, "", "", PositionOf);
        }

        void Error(string path, string message) { var (l, c) = PositionOf(path); problems.Add(new ManifestProblem(path, l, c, message, ManifestProblem.Error)); }
        void Warn(string path, string message) { var (l, c) = PositionOf(path); problems.Add(new ManifestProblem(path, l, c, message, ManifestProblem.Warning)); }

        foreach (var key in document.Select(p => p.Key).Where(k => k is not ("apiVersion" or "kind" or "metadata" or "spec")))
        {
            Error(key, $"Unknown field '{key}'; a manifest has apiVersion, kind, metadata and spec.");
        }

        if (Text(document["apiVersion"]) is null) Error("apiVersion", "apiVersion is required, e.g. core.oam.dev/v1beta1.");
        if (Text(document["kind"]) is null) Error("kind", "kind is required: Application.");
        var metadata = document["metadata"] as JsonObject;
        if (metadata is null) Error("metadata", "metadata with name and annotations is required.");
        var name = Text(metadata?["name"]);
        if (metadata is not null && name is null) Error("metadata.name", "metadata.name is required.");
        else if (name is not null && !NamePattern().IsMatch(name)) Error("metadata.name", $"'{name}' is not a valid application name: use letters, digits, '-' and '_' only.");
        var annotations = metadata?["annotations"] as JsonObject;
        if (metadata is not null && annotations is null) Error("metadata.annotations", "metadata.annotations is required (it may be {}).");
        var version = Text(annotations?["version"]);
        if (version == "latest") Error("metadata.annotations.version", "'latest' is not a version: it always means the newest one. Name the version, or leave it out to have one assigned.");
        var description = Text(annotations?["description"]);

        var components = new List<ManifestComponentView>();
        if (document["spec"] is not JsonObject spec || spec["components"] is not JsonArray list)
        {
            Error("spec.components", "spec.components is required: the components and providers of the application.");
        }
        else
        {
            for (var i = 0; i < list.Count; i++) components.Add(ReadComponent(list[i], $"spec.components[{i}]", Error, Warn));
            foreach (var duplicate in components.GroupBy(c => c.Name).Where(g => g.Key.Length > 0 && g.Count() > 1))
            {
                Error(duplicate.Skip(1).First().Path + ".name", $"Component name '{duplicate.Key}' is used more than once.");
            }

            var names = components.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var link in components.SelectMany(c => c.Links).Where(l => !names.Contains(l.Target)))
            {
                Error(link.Path + ".properties.target", $"The link's target '{link.Target}' is not a component of this manifest.");
            }
        }

        if (problems.Any(p => p.IsError))
        {
            return new ManifestReadResult(null, problems, used, "", "", PositionOf);
        }

        if (version is null)
        {
            version = newVersion();
            annotations!["version"] = version;
        }

        var canonicalJson = document.ToJsonString();
        return new ManifestReadResult(
            new ManifestView(name!, version, description, components), problems, used, canonicalJson, ManifestYaml.FromJson(canonicalJson), PositionOf);
    }

    private static ManifestComponentView ReadComponent(JsonNode? node, string path, Action<string, string> error, Action<string, string> warn)
    {
        if (node is not JsonObject component)
        {
            error(path, "A component is a mapping with name, type and properties.");
            return new ManifestComponentView(path, "", "", null, []);
        }

        var name = Text(component["name"]) ?? "";
        if (name.Length == 0) error(path + ".name", "Every component needs a name.");
        var type = Text(component["type"]) ?? "";
        if (type == "actor") type = "component";
        if (type is not ("component" or "capability")) error(path + ".type", "type is component or capability.");
        var properties = component["properties"] as JsonObject;
        var image = Text(properties?["image"]);
        var shared = properties?["application"];
        if (properties is null) error(path + ".properties", "properties with an image is required.");
        else if ((image is null) == (shared is null)) error(path + ".properties", "Give exactly one of image and application.");

        var links = new List<ManifestLinkView>();
        if (component["traits"] is JsonArray traits)
        {
            for (var j = 0; j < traits.Count; j++)
            {
                var traitPath = $"{path}.traits[{j}]";
                if (traits[j] is not JsonObject trait || Text(trait["type"]) is not { } traitType)
                {
                    error(traitPath, "A trait is a mapping with type and properties.");
                    continue;
                }

                if (traitType != "link") continue;
                var link = trait["properties"] as JsonObject;
                var target = link?["target"] switch
                {
                    JsonObject t => Text(t["name"]),
                    JsonValue v => Text(v),
                    _ => null,
                };
                var interfaces = (link?["interfaces"] as JsonArray)?.Select(Text).OfType<string>().ToList() ?? [];
                if (link is null || Text(link["namespace"]) is not { } ns || Text(link["package"]) is not { } package || target is null || interfaces.Count == 0)
                {
                    error(traitPath, "Link/Scaler trait deserialized as custom trait, ensure fields are correct: a link needs namespace, package, interfaces and target.");
                    continue;
                }

                if (link["target"] is JsonValue) warn(traitPath + ".properties.target", "target as a plain string is deprecated; write target: {name: ...}.");
                links.Add(new ManifestLinkView(traitPath, ns, package, interfaces, target));
            }
        }

        return new ManifestComponentView(path, name, type, image, links);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node is JsonValue other ? other.ToJsonString() : null;

    private static JsonNode? Convert(YamlNode node, string path, Dictionary<string, (int, int)> positions, List<ManifestProblem> problems)
    {
        positions.TryAdd(path, ((int)node.Start.Line, (int)node.Start.Column));
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (obj.ContainsKey(name))
                    {
                        problems.Add(new ManifestProblem(child, (int)key.Start.Line, (int)key.Start.Column, $"Key '{name}' appears twice.", ManifestProblem.Error));
                        continue;
                    }

                    obj[name] = Convert(value, child, positions, problems);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++) array.Add(Convert(sequence.Children[i], $"{path}[{i}]", positions, problems));
                return array;
            case YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain:
                var text = scalar.Value ?? "";
                if (text is "" or "~" or "null" or "Null" or "NULL") return null;
                if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
                if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
                if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var integer)) return JsonValue.Create(integer);
                if (NumberPattern().IsMatch(text) && double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var real)) return JsonValue.Create(real);
                return JsonValue.Create(text);
            case YamlScalarNode quoted:
                return JsonValue.Create(quoted.Value ?? "");
            default:
                return null;
        }
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex NumberPattern();

    private static ManifestProblem? StrictJsonError(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return null;
        }
        catch (JsonException e)
        {
            return new ManifestProblem("", (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, $"Not valid JSON: {e.Message}", ManifestProblem.Error);
        }
    }

    private static string Parent(string path)
    {
        if (path.EndsWith(']')) return path[..path.LastIndexOf('[')];
        var dot = path.LastIndexOf('.');
        return dot < 0 ? "" : path[..dot];
    }
}
