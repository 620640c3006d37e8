namespace Portal.Data.Artifacts;

/// <summary>
/// An OCI blob upload in progress (<c>POST /v2/{name}/blobs/uploads/</c>, then PATCHes, then a
/// PUT with the digest). Its bytes accumulate as <see cref="BlobChunk"/> rows under the session's
/// id, which becomes the blob's id when the PUT verifies the digest.
/// </summary>
public sealed class UploadSession : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    /// <summary>The repository within the tenant, e.g. <c>hello</c> for <c>{tenant}/hello</c>.</summary>
    public required string Repository { get; set; }

    /// <summary>Bytes received so far; the next PATCH must start here.</summary>
    public long Size { get; set; }

    /// <summary>Index the next chunk row gets.</summary>
    public int NextChunk { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
