namespace Portal.Data.Artifacts;

/// <summary>
/// A named, tagged actor of a tenant: <c>{name}:{tag}</c> pointing at wasm bytes by digest, with
/// what the inspector read from them. Name and tag are unique per tenant; uploading other bytes
/// under the same name and tag moves the tag.
/// </summary>
public sealed class Artifact : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    public required string Tag { get; set; }

    /// <summary>Digest of the wasm bytes (the OCI layer).</summary>
    public required string Digest { get; set; }

    /// <summary>Digest of the OCI image manifest that serves this artifact over <c>/v2/</c>.</summary>
    public required string ManifestDigest { get; set; }

    public long Size { get; set; }

    public ArtifactKind Kind { get; set; }

    /// <summary>The inspection as JSON (imports, exports, world, memories, custom sections, claims).</summary>
    public required string Inspection { get; set; }

    /// <summary>Interfaces the wasm imports, e.g. <c>wasi:keyvalue/store@0.2.0</c>; for filters and link checks.</summary>
    public string[] Imports { get; set; } = [];

    /// <summary>Interfaces the wasm exports, e.g. <c>wasi:http/incoming-handler@0.2.0</c>.</summary>
    public string[] Exports { get; set; } = [];

    public Guid? UploadedById { get; set; }

    public required string UploadedBy { get; set; }

    public DateTimeOffset UploadedAt { get; set; }
}
