using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Api.Billing;

/// <summary>
/// Reads effective plans across tenants (quota checks run before or outside a tenant scope, so it
/// ignores the query filter and filters by the id it is given). A tenant with no assignment is on
/// the default plan; with no default plan in the database at all, on <see cref="PlanCatalog.Free"/>.
/// </summary>
public sealed class TenantPlans(PortalDbContext db) : ITenantPlans
{
    public async Task<EffectivePlan> GetEffectivePlanAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var assigned = await db.Plans.AsNoTracking().Include(p => p.Limits)
            .Where(p => db.TenantPlans.IgnoreQueryFilters().Any(t => t.TenantId == tenantId && t.PlanId == p.Id))
            .SingleOrDefaultAsync(cancellationToken);
        var plan = assigned
            ?? await db.Plans.AsNoTracking().Include(p => p.Limits).SingleOrDefaultAsync(p => p.IsDefault, cancellationToken)
            ?? PlanCatalog.Free();
        var overrides = await db.TenantPlanOverrides.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.TenantId == tenantId)
            .ToListAsync(cancellationToken);
        return EffectivePlan.Compute(plan, overrides, assigned is not null);
    }
}
