using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Api.Quotas;

/// <summary>How many bytes a tenant may still store, and the largest one upload may be.</summary>
public sealed record StorageAllowance(long MaxArtifactBytes, long StorageBytes, long UsedBytes)
{
    public long RemainingBytes => Math.Max(0, StorageBytes - UsedBytes);

    /// <summary>The most bytes the next upload may read before it is refused.</summary>
    public long ReadLimit => Math.Min(MaxArtifactBytes, RemainingBytes);

    /// <summary>The error for an upload that reached <paramref name="size"/> bytes (or declared it).</summary>
    public Exception Refusal(long size) => size > MaxArtifactBytes
        ? new Http.PayloadTooLargeException($"The file is larger than the limit of {ByteSize.Describe(MaxArtifactBytes)} per artifact.")
        : new QuotaExceededException($"This upload would exceed the tenant's storage quota: {ByteSize.Describe(UsedBytes)} of {ByteSize.Describe(StorageBytes)} used.");
}

/// <summary>Reads a tenant's storage use at the point of change (uploads check it while streaming).</summary>
public sealed class StorageQuota(PortalDbContext db, IOptions<QuotaOptions> options)
{
    public async Task<StorageAllowance> AllowanceAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var stored = await db.Blobs.IgnoreQueryFilters().Where(b => b.TenantId == tenantId).SumAsync(b => (long?)b.Size, cancellationToken) ?? 0;
        var pending = await db.UploadSessions.IgnoreQueryFilters().Where(u => u.TenantId == tenantId).SumAsync(u => (long?)u.Size, cancellationToken) ?? 0;
        return new StorageAllowance(options.Value.MaxArtifactBytes, options.Value.StorageBytes, stored + pending);
    }
}
