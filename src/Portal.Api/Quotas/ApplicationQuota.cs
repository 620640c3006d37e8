using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Applications;
using Portal.Lattice.Manifests;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Quotas;

/// <summary>A tenant's component instances now and after one change; a change that adds none is never refused (a tenant over a lowered limit can still shrink).</summary>
public sealed record InstanceUse(long InUse, long After, int Limit, string Source)
{
    public bool Exceeded => After > Limit && After > InUse;

    /// <summary>"deploying v2 of shop to dev would use 12 of 10 instances (limit …; 8 in use now)": the same words in the plan, the 422 and the console.</summary>
    public string Describe(string application, string version, string lattice) =>
        $"deploying {(version.StartsWith('v') ? version : "v" + version)} of {application} to {lattice} would use {After} of {Limit} instances (limit {Source}; {InUse} in use now)";
}

/// <summary>
/// The Applications and Instances quotas, checked at the point of change. Callers take
/// <see cref="LockAsync"/> inside their transaction before counting, so two concurrent changes of
/// one tenant count one after the other and cannot both squeeze under a limit.
/// </summary>
public sealed class ApplicationQuota(PortalDbContext db, ITenantLimits limits, IObservedHosts observed)
{
    /// <summary>Serialises the tenant's quota-checked changes until the transaction ends (read committed: the count after it sees the other's commit).</summary>
    public Task LockAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({tenantId.ToString()}, 13))", cancellationToken);

    /// <summary>Refuses a new application when the tenant has as many as its limit.</summary>
    public async Task EnsureCanCreateApplicationAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var limit = await limits.ForAsync(tenantId, cancellationToken);
        var count = await db.Applications.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenantId, cancellationToken);
        if (count < limit.Applications) return;
        throw new QuotaExceededException(
            $"Application quota reached: this tenant has {count} of {limit.Applications} applications (limit {limit.ApplicationsSource}). " +
            $"Delete an application, or ask a platform administrator to raise {limit.ApplicationsSource}.",
            Fields("applications", count, count + 1, limit.Applications, limit.ApplicationsSource));
    }

    /// <summary>The tenant's instances now, and after <paramref name="next"/> (null: nothing) replaces what the application runs in the lattice.</summary>
    public async Task<InstanceUse> InstancesAsync(Guid tenantId, Guid applicationId, Guid latticeId, string latticeWireId, AppScalers? next, CancellationToken cancellationToken)
    {
        var limit = await limits.ForAsync(tenantId, cancellationToken);
        var rows = await db.Deployments.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.DesiredState == DesiredState.Deployed && d.DesiredVersionId != null)
            .Select(d => new { d.ApplicationId, d.LatticeId, Wire = d.Lattice!.LatticeId, d.DesiredVersion!.Version, d.DesiredVersion.Canonical })
            .ToListAsync(cancellationToken);
        long inUse = 0, replaced = 0;
        foreach (var row in rows)
        {
            var parsed = ManifestParser.Parse(row.Canonical, ManifestFormat.Json).Manifest;
            if (parsed is null) continue; // stored manifests parse; one that does not runs nothing
            var count = InstanceCount.Of(ManifestScalers.From(parsed, row.Version), observed.Of(row.Wire));
            inUse += count;
            if (row.ApplicationId == applicationId && row.LatticeId == latticeId) replaced = count;
        }

        var adding = next is null ? 0 : InstanceCount.Of(next, observed.Of(latticeWireId));
        return new InstanceUse(inUse, inUse - replaced + adding, limit.Instances, limit.InstancesSource);
    }

    /// <summary>The 422 for a deploy or rollback that would pass the Instances limit.</summary>
    public static QuotaExceededException Refusal(InstanceUse use, string application, string version, string lattice) => new(
        $"Instance quota exceeded: {use.Describe(application, version, lattice)}. " +
        $"Undeploy an application or lower its instances, or ask a platform administrator to raise {use.Source}.",
        Fields("instances", use.InUse, use.After, use.Limit, use.Source));

    private static Dictionary<string, object?> Fields(string quota, long used, long requested, int limit, string setting) => new()
    {
        ["quota"] = quota, ["used"] = used, ["requested"] = requested, ["limit"] = limit, ["setting"] = setting,
    };
}
