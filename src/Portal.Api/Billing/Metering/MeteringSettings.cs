namespace Portal.Api.Billing.Metering;

/// <summary>Bound from <c>Portal:Metering</c> (environment: <c>Portal__Metering__Key</c>).</summary>
public sealed class MeteringSettings
{
    public const string Section = "Portal:Metering";

    /// <summary>Off: this replica neither samples lattices nor counts invocation reports (other replicas may).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The metering period: lattices are sampled at each period's start and the sample stands for the whole period.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An invocation report read longer ago than this (a late or replayed message) is counted in the
    /// current period instead of its own, so closed months are not changed behind an invoice.
    /// </summary>
    public TimeSpan LateTolerance { get; set; } = TimeSpan.FromHours(1);
}
