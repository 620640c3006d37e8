using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Applications;
using Portal.Data.Billing;
using Portal.Lattice.Manifests;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Quotas;

/// <summary>
/// The application and deployment limits of the tenant's plan (applications; deployed components,
/// instances, providers, links), checked at the point of change. Callers take <see cref="LockAsync"/>
/// inside their transaction before counting, so two concurrent changes of one tenant count one
/// after the other and cannot both squeeze under a limit.
/// </summary>
public sealed class ApplicationQuota(PortalDbContext db, ITenantLimits limits, IObservedHosts observed)
{
    public Task LockAsync(Guid tenantId, CancellationToken cancellationToken) => QuotaLock.TakeAsync(db, tenantId, cancellationToken);

    /// <summary>Refuses a new application when the tenant has as many as its plan allows.</summary>
    public async Task EnsureCanCreateApplicationAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if ((await limits.ForAsync(tenantId, cancellationToken)).For(BillingUnit.Applications) is not { } limit) return;
        var count = await db.Applications.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenantId, cancellationToken);
        if (count < limit.Limit) return;
        throw QuotaExceededException.For(limit, count, count + 1, "Application quota reached",
            $"this tenant has {count} of {limit.Limit} applications", "Delete an application");
    }

    /// <summary>
    /// The tenant's deployment footprint now, and after <paramref name="next"/> (null: nothing)
    /// replaces what the application runs in the lattice, for each unit its plan caps.
    /// </summary>
    public async Task<DeploymentUse> DeploymentAsync(Guid tenantId, Guid applicationId, Guid latticeId, string latticeWireId, AppScalers? next, CancellationToken cancellationToken)
    {
        var plan = await limits.ForAsync(tenantId, cancellationToken);
        var capped = DeploymentFootprint.Units.Select(plan.For).OfType<QuotaLimit>().ToList();
        if (capped.Count == 0) return new DeploymentUse([]);

        var rows = await db.Deployments.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.DesiredState == DesiredState.Deployed && d.DesiredVersionId != null)
            .Select(d => new { d.ApplicationId, d.LatticeId, Wire = d.Lattice!.LatticeId, d.DesiredVersion!.Version, d.DesiredVersion.Canonical })
            .ToListAsync(cancellationToken);
        DeploymentFootprint inUse = default, replaced = default;
        foreach (var row in rows)
        {
            var parsed = ManifestParser.Parse(row.Canonical, ManifestFormat.Json).Manifest;
            if (parsed is null) continue; // stored manifests parse; one that does not runs nothing
            var footprint = DeploymentFootprint.Of(ManifestScalers.From(parsed, row.Version), observed.Of(row.Wire));
            inUse += footprint;
            if (row.ApplicationId == applicationId && row.LatticeId == latticeId) replaced = footprint;
        }

        var adding = next is null ? default : DeploymentFootprint.Of(next, observed.Of(latticeWireId));
        var after = inUse - replaced + adding;
        return new DeploymentUse(capped.Select(limit => new UnitUse(limit, inUse[limit.Unit], after[limit.Unit])).ToList());
    }
}
