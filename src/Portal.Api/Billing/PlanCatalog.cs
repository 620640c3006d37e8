using Portal.Data.Billing;

namespace Portal.Api.Billing;

/// <summary>
/// The two plans <c>./portal up</c> (and the test database) start with. <see cref="Free"/> is the
/// default; its limits are the per-tenant quotas the portal had before plans existed, so nothing a
/// tenant could do before is refused now.
/// </summary>
public static class PlanCatalog
{
    public const string FreeName = "free";
    public const string TeamName = "team";

    private const long GiB = 1024L * 1024 * 1024;

    public static Plan Free() => new()
    {
        Name = FreeName,
        Description = "For trying the portal: hard limits, no charges.",
        MonthlyPrice = 0m,
        Currency = "EUR",
        IsDefault = true,
        Limits =
        [
            Cap(BillingUnit.Applications, 50),
            Cap(BillingUnit.DeployedComponents, 100),
            Cap(BillingUnit.Instances, 200),
            Cap(BillingUnit.Providers, 50),
            Cap(BillingUnit.Links, 200),
            Cap(BillingUnit.Lattices, 10),
            Cap(BillingUnit.ArtifactStorageBytes, 1 * GiB),
            Cap(BillingUnit.ArtifactCount, 500),
            Cap(BillingUnit.ApiRequestsPerMinute, 1200),
            Cap(BillingUnit.InvocationsPerMonth, 1_000_000),
        ],
    };

    public static Plan Team() => new()
    {
        Name = TeamName,
        Description = "For production: more included, usage past it billed per block.",
        MonthlyPrice = 49m,
        Currency = "EUR",
        Limits =
        [
            Cap(BillingUnit.Applications, 500),
            Priced(BillingUnit.DeployedComponents, 200, 0.50m),
            Priced(BillingUnit.Instances, 1000, 0.10m),
            Cap(BillingUnit.Providers, 200),
            Cap(BillingUnit.Links, 2000),
            Cap(BillingUnit.Lattices, 50),
            Priced(BillingUnit.ArtifactStorageBytes, 20 * GiB, 0.10m, GiB),
            Cap(BillingUnit.ArtifactCount, 10_000),
            Cap(BillingUnit.ApiRequestsPerMinute, 6000),
            Priced(BillingUnit.InvocationsPerMonth, 50_000_000, 0.20m, 1_000_000),
            Priced(BillingUnit.ActorInstanceSeconds, 0, 0.000002m),
            Priced(BillingUnit.ProviderInstanceSeconds, 0, 0.000002m),
        ],
    };

    private static PlanLimit Cap(BillingUnit unit, long included) => new() { Unit = unit, Included = included };

    private static PlanLimit Priced(BillingUnit unit, long included, decimal price, long quantum = 1) =>
        new() { Unit = unit, Included = included, OveragePrice = price, OverageQuantum = quantum };
}
