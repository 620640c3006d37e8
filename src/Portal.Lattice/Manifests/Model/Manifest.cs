namespace Portal.Lattice.Manifests;

/// <summary>
/// A wadm application manifest (OAM <c>core.oam.dev/v1beta1</c>, kind <c>Application</c>), as
/// lattice-protocol.md 4.1 describes it. Immutable and compared by value.
/// </summary>
public sealed record Manifest(string ApiVersion, string Kind, ManifestMetadata Metadata, ManifestSpec Spec)
{
    /// <summary>The API version wadm documents (it does not enforce it).</summary>
    public const string OamApiVersion = "core.oam.dev/v1beta1";

    /// <summary>The kind wadm documents.</summary>
    public const string ApplicationKind = "Application";

    /// <summary>The application's name (<c>metadata.name</c>).</summary>
    public string Name => Metadata.Name;

    /// <summary>The <c>version</c> annotation; null when absent (wadm then assigns a ULID on put).</summary>
    public string? Version => Metadata.Annotations.GetValueOrDefault(ManifestAnnotations.Version);

    /// <summary>The <c>description</c> annotation, if any.</summary>
    public string? Description => Metadata.Annotations.GetValueOrDefault(ManifestAnnotations.Description);

    /// <summary>Whether this is a shared application others may reference components of.</summary>
    public bool IsShared => Metadata.Annotations.GetValueOrDefault(ManifestAnnotations.Shared) == "true";

    /// <summary>The components (<c>spec.components</c>).</summary>
    public ValueList<ManifestComponent> Components => Spec.Components;

    /// <summary>The component named <paramref name="name"/>, or null.</summary>
    public ManifestComponent? FindComponent(string name) => Spec.Components.FirstOrDefault(c => c.Name == name);
}

/// <summary><c>metadata</c>: the name, annotations (the key is required, may be empty) and labels.</summary>
public sealed record ManifestMetadata(string Name, OrderedMap<string> Annotations, OrderedMap<string> Labels);

/// <summary><c>spec</c>: components and policies.</summary>
public sealed record ManifestSpec(ValueList<ManifestComponent> Components, ValueList<ManifestPolicy> Policies);

/// <summary>A policy (<c>spec.policies[]</c>), e.g. a secrets backend.</summary>
public sealed record ManifestPolicy(string Name, string Type, OrderedMap<string> Properties)
{
    /// <summary>The policy type secrets must point at.</summary>
    public const string SecretPolicyType = "policy.secret.wasmcloud.dev/v1alpha1";
}

/// <summary>Annotation keys with a meaning to wadm.</summary>
public static class ManifestAnnotations
{
    /// <summary>The application version.</summary>
    public const string Version = "version";

    /// <summary>A human description.</summary>
    public const string Description = "description";

    /// <summary>Marks a shared application (value <c>"true"</c>).</summary>
    public const string Shared = "experimental.wasmcloud.dev/shared";
}
