namespace Portal.Lattice.Manifests;

/// <summary>What a component is: a wasm component (actor) or a capability provider.</summary>
public enum ComponentType
{
    /// <summary><c>component</c> (also spelled <c>actor</c> in older manifests).</summary>
    Component,

    /// <summary><c>capability</c>: a capability provider.</summary>
    Capability,
}

/// <summary>One entry of <c>spec.components</c>.</summary>
public sealed record ManifestComponent(string Name, ComponentType Type, ComponentProperties Properties, ValueList<ManifestTrait> Traits)
{
    /// <summary>The spreadscaler or daemonscaler trait, if any (the first one: wadm uses one).</summary>
    public ScalerTrait? Scaler => Traits.OfType<ScalerTrait>().FirstOrDefault();

    /// <summary>The link traits; a link sits on its source component.</summary>
    public IEnumerable<LinkTrait> Links => Traits.OfType<LinkTrait>();

    /// <summary>Whether this refers to a component of a shared application instead of an image.</summary>
    public bool IsSharedReference => Properties.Application is not null;
}

/// <summary><c>properties</c> of a component: <c>image</c> XOR <c>application</c>, plus id, config and secrets.</summary>
public sealed record ComponentProperties(
    string? Image,
    SharedApplicationReference? Application,
    string? Id,
    ValueList<ConfigProperty> Config,
    ValueList<SecretProperty> Secrets)
{
    /// <summary>Properties with only an image.</summary>
    public static ComponentProperties FromImage(string image) => new(image, null, null, [], []);
}

/// <summary><c>application: {name, component}</c>: a component owned by a shared application.</summary>
public sealed record SharedApplicationReference(string Name, string Component);

/// <summary>
/// A named config. With <see cref="Properties"/> wadm owns it (creates it as <c>{app}-{name}</c>);
/// without, it is external and used by its literal name.
/// </summary>
public sealed record ConfigProperty(string Name, OrderedMap<string>? Properties)
{
    /// <summary>Whether wadm creates and owns this config.</summary>
    public bool IsOwned => Properties is not null;
}

/// <summary>A secret reference: <c>{name, properties: {policy, key, field?, version?}}</c>.</summary>
public sealed record SecretProperty(string Name, SecretSourceProperties Properties);

/// <summary>Where a secret comes from: the policy naming its backend, the key, an optional field and version.</summary>
public sealed record SecretSourceProperties(string Policy, string Key, string? Field, string? Version);
