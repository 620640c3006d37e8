using Portal.Data.Billing;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Quotas;

/// <summary>
/// What one deployed version counts against a plan: its components (actors with a scaler), their
/// instances (<see cref="InstanceCount"/>), its providers and its links.
/// </summary>
public readonly record struct DeploymentFootprint(long Components, long Instances, long Providers, long Links)
{
    public static readonly BillingUnit[] Units = [BillingUnit.DeployedComponents, BillingUnit.Instances, BillingUnit.Providers, BillingUnit.Links];

    public static DeploymentFootprint Of(AppScalers app, IReadOnlyList<IReadOnlyDictionary<string, string>>? hosts) => new(
        app.Scalers.Count(s => s is ComponentSpreadScaler or ComponentDaemonScaler),
        InstanceCount.Of(app, hosts),
        app.Scalers.Count(s => s is ProviderSpreadScaler or ProviderDaemonScaler),
        app.Scalers.Count(s => s is LinkScaler));

    public long this[BillingUnit unit] => unit switch
    {
        BillingUnit.DeployedComponents => Components,
        BillingUnit.Instances => Instances,
        BillingUnit.Providers => Providers,
        BillingUnit.Links => Links,
        _ => 0,
    };

    public static DeploymentFootprint operator +(DeploymentFootprint a, DeploymentFootprint b) =>
        new(a.Components + b.Components, a.Instances + b.Instances, a.Providers + b.Providers, a.Links + b.Links);

    public static DeploymentFootprint operator -(DeploymentFootprint a, DeploymentFootprint b) =>
        new(a.Components - b.Components, a.Instances - b.Instances, a.Providers - b.Providers, a.Links - b.Links);
}

/// <summary>One unit of a tenant's deployments now and after one change; a change that adds none is never refused (a tenant over a lowered limit can still shrink).</summary>
public sealed record UnitUse(QuotaLimit Limit, long InUse, long After)
{
    public bool Exceeded => After > Limit.Limit && After > InUse;

    /// <summary>"deploying v2 of shop to dev would use 12 of 10 instances (limit plan 'free'; 8 in use now)": the same words in the plan, the 422 and the console.</summary>
    public string Describe(string application, string version, string lattice) =>
        $"deploying {(version.StartsWith('v') ? version : "v" + version)} of {application} to {lattice} would use {After} of {Limit.Limit} {QuotaWords.Of(Limit.Unit)} (limit {Limit.Source}; {InUse} in use now)";

    public QuotaExceededException Refusal(string application, string version, string lattice) =>
        new($"{Title} quota exceeded: {Describe(application, version, lattice)}. " +
            $"Undeploy an application or make this one smaller, or upgrade the plan or ask a platform administrator to raise {QuotaWords.Of(Limit.Unit)}.",
            QuotaExceededException.Fields(Limit, InUse, After));

    private string Title => Limit.Unit switch
    {
        BillingUnit.DeployedComponents => "Deployed component",
        BillingUnit.Instances => "Instance",
        BillingUnit.Providers => "Provider",
        _ => "Link",
    };
}

/// <summary>A deploy's effect on every capped deployment unit of the tenant's plan.</summary>
public sealed record DeploymentUse(IReadOnlyList<UnitUse> Units)
{
    public IEnumerable<UnitUse> Exceeded => Units.Where(u => u.Exceeded);
}
