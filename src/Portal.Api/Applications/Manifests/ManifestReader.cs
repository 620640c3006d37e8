using Portal.Lattice.Manifests;

namespace Portal.Api.Applications.Manifests;

/// <summary>
/// The one place the Applications feature parses and checks a wadm manifest: Portal.Lattice.Manifests
/// reads it (positions for every path), validates it by wadm's rules and writes its canonical
/// forms; this turns the result into what the API stores and reports.
/// </summary>
public static class ManifestReader
{
    public const string Yaml = "yaml";
    public const string Json = "json";

    /// <param name="format"><see cref="Yaml"/>, <see cref="Json"/>, or null to try YAML then JSON as wadm does (YAML reads JSON too).</param>
    /// <param name="newVersion">Called when the manifest names no version; its answer is written into the canonical forms, as wadm's get returns it.</param>
    public static ManifestReadResult Read(string text, string? format, Func<string> newVersion)
    {
        var document = ManifestParser.Parse(text, format == Json ? ManifestFormat.Json : ManifestFormat.Yaml);
        var used = format ?? (text.TrimStart().StartsWith('{') ? Json : Yaml);
        (int, int) PositionOf(string path)
        {
            var position = document.PositionOf(path);
            return (position.Line, position.Column);
        }

        var problems = ManifestValidator.Validate(document).Select(ToProblem).ToList();
        if (document.Manifest is not { } manifest || problems.Any(p => p.IsError))
        {
            return new ManifestReadResult(null, problems, used, "", "", PositionOf);
        }

        var assigned = manifest.Version is null;
        if (assigned) manifest = WithVersion(manifest, newVersion());
        return new ManifestReadResult(ToView(manifest), problems, used, ManifestWriter.ToJson(manifest), ManifestWriter.ToYaml(manifest), PositionOf);
    }

    /// <summary>A stored canonical manifest (JSON) written again as YAML or JSON, for export and diffs.</summary>
    public static string Rewrite(string canonicalJson, string format)
    {
        var manifest = ManifestParser.Parse(canonicalJson, ManifestFormat.Json).Manifest
            ?? throw new InvalidOperationException("A stored canonical manifest no longer parses.");
        return format == Json ? ManifestWriter.ToJson(manifest) : ManifestWriter.ToYaml(manifest);
    }

    private static Manifest WithVersion(Manifest manifest, string version)
    {
        var annotations = manifest.Metadata.Annotations
            .Append(new KeyValuePair<string, string>(ManifestAnnotations.Version, version));
        return manifest with { Metadata = manifest.Metadata with { Annotations = OrderedMap.From(annotations) } };
    }

    private static ManifestView ToView(Manifest manifest) => new(
        manifest.Name,
        manifest.Version,
        manifest.Description,
        manifest.Components.Select((component, i) =>
        {
            var path = $"spec.components[{i}]";
            var links = component.Traits
                .Select((trait, j) => (trait, j))
                .Where(t => t.trait is LinkTrait)
                .Select(t =>
                {
                    var link = ((LinkTrait)t.trait).Properties;
                    return new ManifestLinkView($"{path}.traits[{t.j}]", link.Namespace, link.Package, link.Interfaces.ToList(), link.Target.Name);
                })
                .ToList();
            var type = component.Type == ComponentType.Capability ? "capability" : "component";
            return new ManifestComponentView(path, component.Name, type, component.Properties.Image, links);
        }).ToList());

    private static ManifestProblem ToProblem(ManifestDiagnostic d) =>
        new(d.Path, d.Line, d.Column, d.Message, d.Severity == ManifestSeverity.Error ? ManifestProblem.Error : ManifestProblem.Warning);
}
