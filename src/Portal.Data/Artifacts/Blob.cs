namespace Portal.Data.Artifacts;

/// <summary>
/// Content-addressed bytes of one tenant: the wasm of an artifact, or an OCI config or manifest.
/// Identical bytes are stored once per tenant; the bytes themselves live in <see cref="BlobChunk"/>
/// rows so they can be streamed both ways without holding a whole blob in one value.
/// </summary>
public sealed class Blob : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    /// <summary><c>sha256:</c> and 64 lower-case hex digits, as OCI writes digests.</summary>
    public required string Digest { get; set; }

    public long Size { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
