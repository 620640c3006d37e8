namespace Portal.Api.Artifacts.Storage;

/// <summary>A stored blob: its digest, size and when these bytes were first stored in the tenant.</summary>
public sealed record StoredBlob(string Digest, long Size, DateTimeOffset CreatedAt, bool AlreadyStored);

/// <summary>
/// Content-addressed bytes per tenant. Writes join the caller's database transaction where the
/// store can (the Postgres store does), so an upload that fails leaves no bytes behind; a store
/// that cannot must clean up on rollback itself.
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Streams <paramref name="content"/> in, computing its sha256; identical bytes already stored
    /// for the tenant are kept once (<see cref="StoredBlob.AlreadyStored"/>).
    /// </summary>
    Task<StoredBlob> WriteAsync(Guid tenantId, Stream content, CancellationToken cancellationToken = default);

    Task<StoredBlob?> FindAsync(Guid tenantId, string digest, CancellationToken cancellationToken = default);

    /// <summary>Streams the bytes out; null when the tenant has no such blob. Dispose the stream.</summary>
    Task<Stream?> OpenReadAsync(Guid tenantId, string digest, CancellationToken cancellationToken = default);

    /// <summary>Reads a small blob (a manifest or config) whole; null when absent.</summary>
    Task<byte[]?> ReadAllAsync(Guid tenantId, string digest, long maxBytes, CancellationToken cancellationToken = default);

    Task DeleteAsync(Guid tenantId, string digest, CancellationToken cancellationToken = default);
}
