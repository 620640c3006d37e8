using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Api.Artifacts.Storage;
using Portal.Api.Database;
using Portal.Data;
using Portal.Lattice.Oci;

namespace Portal.Api.Artifacts.Oci;

/// <summary>What one purge removed.</summary>
public sealed record PurgeResult(int Sessions, int OrphanBlobs);

/// <summary>
/// Removes what pushes left behind: upload sessions untouched for
/// <see cref="OciRegistryOptions.UploadSessionLifetime"/> (with their bytes, which count toward the
/// quota), and blobs older than <see cref="OciRegistryOptions.OrphanBlobLifetime"/> that no tag
/// reaches: neither an artifact's wasm or manifest, nor a blob a stored manifest references. A tenant
/// whose manifests cannot all be read is left alone rather than risk deleting what one references.
/// </summary>
public sealed class OciUploadPurge(PortalDbContext db, IBlobStore blobs, UploadSessionStore sessions, IOptions<OciRegistryOptions> options, ILogger<OciUploadPurge> logger)
{
    public async Task<PurgeResult> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var sessionCount = await db.InTransactionAsync(() => sessions.PurgeAsync(now - options.Value.UploadSessionLifetime, cancellationToken), cancellationToken: cancellationToken);

        var cutoff = now - options.Value.OrphanBlobLifetime;
        var tenants = await OrphanCandidates(cutoff).Select(b => b.TenantId).Distinct().ToListAsync(cancellationToken);
        var blobCount = 0;
        foreach (var tenantId in tenants)
        {
            blobCount += await db.InTransactionAsync(() => PurgeOrphansAsync(tenantId, cutoff, cancellationToken), cancellationToken: cancellationToken);
        }

        if (sessionCount + blobCount > 0) logger.LogInformation("Purged {Sessions} abandoned upload sessions and {Blobs} orphan blobs", sessionCount, blobCount);
        return new PurgeResult(sessionCount, blobCount);
    }

    private IQueryable<Data.Artifacts.Blob> OrphanCandidates(DateTimeOffset cutoff) =>
        db.Blobs.IgnoreQueryFilters().Where(b => b.CreatedAt < cutoff
            && !db.Artifacts.IgnoreQueryFilters().Any(a => a.TenantId == b.TenantId && (a.Digest == b.Digest || a.ManifestDigest == b.Digest)));

    private async Task<int> PurgeOrphansAsync(Guid tenantId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await OciLocks.TenantBlobsAsync(db, tenantId, cancellationToken);
        var candidates = await OrphanCandidates(cutoff).Where(b => b.TenantId == tenantId).Select(b => b.Digest).ToListAsync(cancellationToken);
        if (candidates.Count == 0) return 0;

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var manifests = await db.Artifacts.IgnoreQueryFilters().Where(a => a.TenantId == tenantId).Select(a => a.ManifestDigest).Distinct().ToListAsync(cancellationToken);
        foreach (var digest in manifests)
        {
            var bytes = await blobs.ReadAllAsync(tenantId, digest, OciLimits.MaxManifestBytes, cancellationToken);
            OciManifest? manifest = null;
            try
            {
                if (bytes is not null) manifest = OciManifest.Read(bytes);
            }
            catch (OciFormatException)
            {
            }

            if (manifest is null)
            {
                logger.LogWarning("Orphan sweep skipped tenant {Tenant}: manifest {Digest} cannot be read", tenantId, digest);
                return 0;
            }

            referenced.Add(manifest.Config.Digest);
            foreach (var layer in manifest.Layers) referenced.Add(layer.Digest);
        }

        var removed = 0;
        foreach (var digest in candidates.Where(d => !referenced.Contains(d)))
        {
            await blobs.DeleteAsync(tenantId, digest, cancellationToken);
            removed++;
        }

        return removed;
    }
}

/// <summary>Runs <see cref="OciUploadPurge"/> every <see cref="OciRegistryOptions.PurgeInterval"/>, on every replica (it is idempotent).</summary>
internal sealed class OciUploadPurgeService(IServiceScopeFactory scopes, IOptions<OciRegistryOptions> options, TimeProvider clock, ILogger<OciUploadPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<OciUploadPurge>().PurgeAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Purging abandoned OCI uploads failed; the next run retries");
            }
        }
    }
}
