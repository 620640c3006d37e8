using Microsoft.EntityFrameworkCore;
using Portal.Data.Billing;

namespace Portal.Testing.Billing;

/// <summary>
/// Plan limits for tests. Each portal fixture has its own database, so changing its default plan
/// (the one every new tenant is on) gives that fixture's tenants small limits without touching others.
/// </summary>
public static class TestPlans
{
    /// <summary>Makes each unit a hard cap at the given amount on the database's default plan.</summary>
    public static async Task CapDefaultPlanAsync(this PortalWebFactory portal, params (BillingUnit Unit, long Included)[] caps)
    {
        await using var db = portal.CreateDbContext();
        var plan = await db.Plans.Include(p => p.Limits).SingleAsync(p => p.IsDefault);
        foreach (var (unit, included) in caps)
        {
            var line = plan.Limits.SingleOrDefault(l => l.Unit == unit);
            if (line is null) plan.Limits.Add(line = new PlanLimit { PlanId = plan.Id, Unit = unit });
            (line.Included, line.OveragePrice, line.OverageQuantum) = (included, null, 1);
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Removes the units' lines from the default plan: unlimited and free (benchmarks measure the path, not the limit).</summary>
    public static async Task UncapDefaultPlanAsync(this PortalWebFactory portal, params BillingUnit[] units)
    {
        await using var db = portal.CreateDbContext();
        await db.PlanLimits.Where(l => units.Contains(l.Unit) && db.Plans.Any(p => p.Id == l.PlanId && p.IsDefault)).ExecuteDeleteAsync();
    }
}
