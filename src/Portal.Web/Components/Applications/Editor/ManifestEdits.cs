using Portal.Lattice.Manifests;

namespace Portal.Web.Components.Applications.Editor;

/// <summary>
/// The builder's and the link editor's changes, as functions from one manifest to the next. The
/// model is immutable, so every edit yields a new manifest the page swaps in; the YAML and the
/// graph are then redrawn from it, which is what keeps the three views in step.
/// </summary>
public static class ManifestEdits
{
    public const string FirstVersion = "v0.1.0";

    public static Manifest New(string name = "my-app") => new(
        Manifest.OamApiVersion,
        Manifest.ApplicationKind,
        new ManifestMetadata(name, [new(ManifestAnnotations.Version, FirstVersion)], OrderedMap<string>.Empty),
        new ManifestSpec([], []));

    /// <summary>Sets name, version and description; an empty version or description removes the annotation.</summary>
    public static Manifest WithMetadata(Manifest manifest, string name, string? version, string? description)
    {
        var annotations = manifest.Metadata.Annotations.ToDictionary(e => e.Key, e => e.Value);
        Set(annotations, ManifestAnnotations.Version, version);
        Set(annotations, ManifestAnnotations.Description, description);
        // Keep the author's order for keys that stay; new ones go last.
        var ordered = manifest.Metadata.Annotations.Keys.Where(annotations.ContainsKey)
            .Concat(annotations.Keys.Except(manifest.Metadata.Annotations.Keys))
            .Select(k => new KeyValuePair<string, string>(k, annotations[k]));
        return manifest with { Metadata = manifest.Metadata with { Name = name.Trim(), Annotations = OrderedMap.From(ordered) } };
    }

    /// <summary>Adds <paramref name="item"/> under a name not yet used; actors start with one instance (providers get wadm's default scaler).</summary>
    public static Manifest AddComponent(Manifest manifest, CatalogItem item, out string name)
    {
        name = UniqueName(manifest, item.SuggestedName);
        ValueList<ManifestTrait> traits = item.Type == ComponentType.Component
            ? [new ScalerTrait(ScalerKind.Spread, new ScalerProperties(1, []))]
            : [];
        var component = new ManifestComponent(name, item.Type, ComponentProperties.FromImage(item.Image), traits);
        return WithComponents(manifest, manifest.Components.Append(component));
    }

    /// <summary>Replaces the component called <paramref name="name"/>; a rename is carried into the links that target it.</summary>
    public static Manifest ReplaceComponent(Manifest manifest, string name, ManifestComponent replacement)
    {
        var components = manifest.Components.Select(c => c.Name == name ? replacement : c);
        if (replacement.Name != name)
        {
            components = components.Select(c => c with { Traits = ValueList.From(c.Traits.Select(t => t is LinkTrait link && link.Properties.Target.Name == name
                ? link with { Properties = link.Properties with { Target = link.Properties.Target with { Name = replacement.Name } } }
                : t)) });
        }
        return WithComponents(manifest, components);
    }

    /// <summary>Removes a component and the links that point at it (they would dangle).</summary>
    public static Manifest RemoveComponent(Manifest manifest, string name) =>
        WithComponents(manifest, manifest.Components.Where(c => c.Name != name).Select(c => c with
        {
            Traits = ValueList.From(c.Traits.Where(t => t is not LinkTrait link || link.Properties.Target.Name != name)),
        }));

    /// <summary>The component's traits with its scaler replaced (or removed when <paramref name="scaler"/> is null), in the scaler's place.</summary>
    public static ManifestComponent WithScaler(ManifestComponent component, ScalerTrait? scaler)
    {
        var traits = component.Traits.ToList();
        var at = traits.FindIndex(t => t is ScalerTrait);
        if (at >= 0) traits.RemoveAt(at);
        if (scaler is not null) traits.Insert(at >= 0 ? at : 0, scaler);
        return component with { Traits = ValueList.From(traits) };
    }

    /// <summary>Adds a link on <paramref name="source"/> (<paramref name="traitIndex"/> null) or replaces the one at that trait index.</summary>
    public static Manifest SetLink(Manifest manifest, string source, int? traitIndex, LinkProperties link)
    {
        var component = manifest.FindComponent(source) ?? throw new ArgumentException($"No component {source}.", nameof(source));
        var traits = component.Traits.ToList();
        if (traitIndex is { } index) traits[index] = new LinkTrait(link);
        else traits.Add(new LinkTrait(link));
        return ReplaceComponent(manifest, source, component with { Traits = ValueList.From(traits) });
    }

    public static Manifest RemoveLink(Manifest manifest, string source, int traitIndex)
    {
        var component = manifest.FindComponent(source) ?? throw new ArgumentException($"No component {source}.", nameof(source));
        var traits = component.Traits.Where((_, i) => i != traitIndex);
        return ReplaceComponent(manifest, source, component with { Traits = ValueList.From(traits) });
    }

    public static string UniqueName(Manifest manifest, string suggested)
    {
        var stem = string.IsNullOrWhiteSpace(suggested) ? "component" : suggested;
        var name = stem;
        for (var n = 2; manifest.FindComponent(name) is not null; n++) name = $"{stem}-{n}";
        return name;
    }

    private static Manifest WithComponents(Manifest manifest, IEnumerable<ManifestComponent> components) =>
        manifest with { Spec = manifest.Spec with { Components = ValueList.From(components) } };

    private static void Set(Dictionary<string, string> annotations, string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) annotations.Remove(key);
        else annotations[key] = value.Trim();
    }
}
