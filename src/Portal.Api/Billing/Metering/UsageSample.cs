using Portal.Data.Billing;
using Portal.Lattice.Observation;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Billing.Metering;

/// <summary>One quantity to record under a period key.</summary>
public sealed record UsageSample(Guid TenantId, string LatticeId, string Application, BillingUnit Unit, decimal Quantity);

/// <summary>Turns an observed lattice into usage for one period. Pure: the sampler and its tests share it.</summary>
public static class LatticeUsage
{
    /// <summary>
    /// Per application (wadm's managed-by + appspec annotations; anything else counts to no application, ""):
    /// actor-instance-seconds = max_instances × period seconds on every host, provider-seconds = one per running provider × period seconds.
    /// </summary>
    public static IReadOnlyList<UsageSample> Sample(Guid tenantId, LatticeSnapshot snapshot, TimeSpan period)
    {
        var seconds = (decimal)period.TotalSeconds;
        var totals = new Dictionary<(string App, BillingUnit Unit), decimal>();
        foreach (var host in snapshot.Hosts.Values)
        {
            foreach (var component in host.Components.Values)
                Add(totals, ApplicationOf(component.Annotations), BillingUnit.ActorInstanceSeconds, component.MaxInstances * seconds);
            foreach (var provider in host.Providers.Values)
                Add(totals, ApplicationOf(provider.Annotations), BillingUnit.ProviderInstanceSeconds, seconds);
        }

        return totals.Where(t => t.Value > 0)
            .Select(t => new UsageSample(tenantId, snapshot.Lattice, t.Key.App, t.Key.Unit, t.Value))
            .ToList();
    }

    /// <summary>The wadm application an instance belongs to, or "" when no wadm manages it.</summary>
    public static string ApplicationOf(IReadOnlyDictionary<string, string> annotations) =>
        annotations.TryGetValue(ScalerAnnotations.ManagedBy, out var by) && by == ScalerAnnotations.ManagedByValue
        && annotations.TryGetValue(ScalerAnnotations.AppSpec, out var app) ? app : "";

    private static void Add(Dictionary<(string, BillingUnit), decimal> totals, string app, BillingUnit unit, decimal quantity) =>
        totals[(app, unit)] = totals.GetValueOrDefault((app, unit)) + quantity;
}
