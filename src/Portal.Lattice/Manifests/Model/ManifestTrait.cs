namespace Portal.Lattice.Manifests;

/// <summary>A trait of a component: a scaler, a link, or anything else kept as raw data.</summary>
public abstract record ManifestTrait(string Type)
{
    /// <summary>The link trait type.</summary>
    public const string LinkType = "link";

    /// <summary>The spreadscaler trait type.</summary>
    public const string SpreadScalerType = "spreadscaler";

    /// <summary>The daemonscaler trait type.</summary>
    public const string DaemonScalerType = "daemonscaler";

    /// <summary>Whether <paramref name="type"/> is one of the trait types wadm gives a shape to.</summary>
    public static bool IsWellKnownType(string type) => type is LinkType or SpreadScalerType or DaemonScalerType;
}

/// <summary>Which scaler a <see cref="ScalerTrait"/> is.</summary>
public enum ScalerKind
{
    /// <summary><c>spreadscaler</c>: instances spread over matching hosts by weight.</summary>
    Spread,

    /// <summary><c>daemonscaler</c>: instances on every matching host.</summary>
    Daemon,
}

/// <summary>A <c>spreadscaler</c> or <c>daemonscaler</c> trait.</summary>
public sealed record ScalerTrait(ScalerKind Kind, ScalerProperties Properties)
    : ManifestTrait(Kind == ScalerKind.Daemon ? DaemonScalerType : SpreadScalerType);

/// <summary>Scaler properties: <c>instances</c> (alias <c>replicas</c>) and the spread.</summary>
public sealed record ScalerProperties(int Instances, ValueList<Spread> Spread);

/// <summary>One spread: the host label requirements and a weight (default 100; ignored by daemonscalers).</summary>
public sealed record Spread(string Name, OrderedMap<string> Requirements, int Weight = Spread.DefaultWeight)
{
    /// <summary>The weight of a spread that names none.</summary>
    public const int DefaultWeight = 100;
}

/// <summary>A <c>link</c> trait; it sits on the link's source component.</summary>
public sealed record LinkTrait(LinkProperties Properties) : ManifestTrait(LinkType);

/// <summary>
/// Link properties. Legacy <c>target: "name"</c>, <c>target_config</c> and <c>source_config</c> are
/// read into <see cref="Target"/> and <see cref="Source"/>; the writer emits the current form.
/// </summary>
public sealed record LinkProperties(
    string Namespace,
    string Package,
    ValueList<string> Interfaces,
    string Name,
    LinkTarget Target,
    LinkSource? Source)
{
    /// <summary>The link name when none is given.</summary>
    public const string DefaultName = "default";

    /// <summary>Config of the source end (empty without a source section).</summary>
    public ValueList<ConfigProperty> SourceConfig => Source?.Config ?? [];

    /// <summary>Secrets of the source end (empty without a source section).</summary>
    public ValueList<SecretProperty> SourceSecrets => Source?.Secrets ?? [];
}

/// <summary>The target end of a link: a component of this manifest, with its link config and secrets.</summary>
public sealed record LinkTarget(string Name, ValueList<ConfigProperty> Config, ValueList<SecretProperty> Secrets);

/// <summary>The source end's link config and secrets.</summary>
public sealed record LinkSource(ValueList<ConfigProperty> Config, ValueList<SecretProperty> Secrets);

/// <summary>A trait wadm does not give a shape to, kept as the author wrote it.</summary>
public sealed record CustomTrait(string Type, ManifestValue Properties) : ManifestTrait(Type);
