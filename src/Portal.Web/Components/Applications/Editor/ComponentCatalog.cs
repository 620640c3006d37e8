using Portal.Api.Artifacts;
using Portal.Api.Artifacts.Providers;
using Portal.Lattice.Manifests;

namespace Portal.Web.Components.Applications.Editor;

/// <summary>Something the builder can add: one of the tenant's actors (name:tag) or a catalog provider.</summary>
public sealed record CatalogItem(string Label, string Image, ComponentType Type, string SuggestedName, IReadOnlyList<string> Imports, IReadOnlyList<string> Exports, IReadOnlyList<ProviderConfigKey>? ConfigKeys = null);

/// <summary>A manifest component with what the portal knows about its image's interfaces.</summary>
public sealed record CatalogEntry(string Name, string? Image, bool Known, IReadOnlyList<string> Imports, IReadOnlyList<string> Exports, IReadOnlyList<ProviderConfigKey>? ConfigKeys = null);

/// <summary>
/// The tenant's actors and providers, by image reference. Link checks need each end's imports and
/// exports; the manifest holds only image references, so they are looked up here: actors from
/// the artifact inspection, providers from the catalog's declared interfaces.
/// </summary>
public sealed class ComponentCatalog(IReadOnlyList<ArtifactResponse> artifacts, IReadOnlyList<ProviderResponse> providers)
{
    public static ComponentCatalog Empty { get; } = new([], []);

    public IReadOnlyList<CatalogItem> Actors { get; } = artifacts
        .Select(a => new CatalogItem($"{a.Name}:{a.Tag}", a.ImageRef, ComponentType.Component, a.Name, a.Imports, a.Exports))
        .ToList();

    public IReadOnlyList<CatalogItem> Providers { get; } = providers
        .Select(p => new CatalogItem(p.BuiltIn ? $"{p.Name} (built in)" : p.Name, p.ImageRef, ComponentType.Capability, p.Name.Replace("-", ""), p.Imports, p.Exports, p.ConfigKeys))
        .ToList();

    /// <summary>The actor or provider behind <paramref name="image"/>; providers also match the public images they stand in for (any tag).</summary>
    public CatalogItem? Find(string? image)
    {
        if (string.IsNullOrEmpty(image)) return null;
        var exact = Actors.Concat(Providers).FirstOrDefault(i => i.Image == image);
        if (exact is not null) return exact;
        var provider = providers.FirstOrDefault(p => p.AlsoKnownAs.Any(alias => image == alias || image.StartsWith(alias + ":", StringComparison.Ordinal)));
        return provider is null ? null : Providers.First(i => i.Image == provider.ImageRef);
    }

    public CatalogEntry Describe(ManifestComponent component)
    {
        var item = Find(component.Properties.Image);
        return item is null
            ? new CatalogEntry(component.Name, component.Properties.Image, false, [], [])
            : new CatalogEntry(component.Name, component.Properties.Image, true, item.Imports, item.Exports, item.ConfigKeys);
    }
}
