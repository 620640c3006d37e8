using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Billing;

namespace Portal.Api.Quotas;

/// <summary>How many bytes a tenant may still store (its plan's cap, if the plan caps storage), and the largest one upload may be.</summary>
public sealed record StorageAllowance(long MaxArtifactBytes, QuotaLimit? Storage, long UsedBytes)
{
    public long StorageBytes => Storage?.Limit ?? long.MaxValue;

    public long RemainingBytes => Math.Max(0, StorageBytes - UsedBytes);

    /// <summary>The most bytes the next upload may read before it is refused.</summary>
    public long ReadLimit => Math.Min(MaxArtifactBytes, RemainingBytes);

    /// <summary>The error for an upload that reached <paramref name="size"/> bytes (or declared it).</summary>
    public Exception Refusal(long size) => size > MaxArtifactBytes
        ? new Http.PayloadTooLargeException($"The file is larger than the limit of {ByteSize.Describe(MaxArtifactBytes)} per artifact.")
        : StorageQuota.Exceeded(Storage!, UsedBytes, UsedBytes + size);
}

/// <summary>
/// Artifact storage and artifact count at the point of change. Uploads check the allowance while
/// streaming (so an oversized body is never read whole), then <see cref="EnsureWithinAsync"/> again
/// under <see cref="QuotaLock"/> in the storing transaction, which is what makes concurrent uploads
/// unable to squeeze past the limit together.
/// </summary>
public sealed class StorageQuota(PortalDbContext db, ITenantLimits limits, IOptions<QuotaOptions> options)
{
    public async Task<StorageAllowance> AllowanceAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var plan = await limits.ForAsync(tenantId, cancellationToken);
        return new StorageAllowance(options.Value.MaxArtifactBytes, plan.For(BillingUnit.ArtifactStorageBytes), await UsedBytesAsync(tenantId, cancellationToken));
    }

    /// <summary>
    /// Inside the storing transaction, after its bytes are written: takes the tenant's quota lock,
    /// then refuses (the caller's transaction rolls back) when stored bytes pass the storage cap, or
    /// when <paramref name="addsArtifact"/> and the tenant already has as many artifacts as allowed.
    /// </summary>
    public async Task EnsureWithinAsync(Guid tenantId, bool addsArtifact, long writtenBytes, CancellationToken cancellationToken)
    {
        await QuotaLock.TakeAsync(db, tenantId, cancellationToken);
        var plan = await limits.ForAsync(tenantId, cancellationToken);
        if (addsArtifact && plan.For(BillingUnit.ArtifactCount) is { } count)
        {
            var artifacts = await db.Artifacts.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenantId, cancellationToken);
            if (artifacts >= count.Limit)
            {
                throw QuotaExceededException.For(count, artifacts, artifacts + 1, "Artifact quota reached",
                    $"this tenant has {artifacts} of {count.Limit} artifacts", "Delete an artifact");
            }
        }

        if (plan.For(BillingUnit.ArtifactStorageBytes) is { } storage)
        {
            var used = await UsedBytesAsync(tenantId, cancellationToken);
            if (used > storage.Limit && writtenBytes > 0) throw Exceeded(storage, used - writtenBytes, used);
        }
    }

    public static QuotaExceededException Exceeded(QuotaLimit storage, long used, long requested) =>
        QuotaExceededException.For(storage, used, requested, "Storage quota exceeded",
            $"this upload would bring the tenant's artifacts to {ByteSize.Describe(requested)} of {ByteSize.Describe(storage.Limit)}; {ByteSize.Describe(used)} used now",
            "Delete artifacts you no longer need");

    // Counts the transaction's own uncommitted writes too (same connection), and others' committed ones.
    private async Task<long> UsedBytesAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var stored = await db.Blobs.IgnoreQueryFilters().Where(b => b.TenantId == tenantId).SumAsync(b => (long?)b.Size, cancellationToken) ?? 0;
        var pending = await db.UploadSessions.IgnoreQueryFilters().Where(u => u.TenantId == tenantId).SumAsync(u => (long?)u.Size, cancellationToken) ?? 0;
        return stored + pending;
    }
}
