namespace Portal.Data.Billing;

/// <summary>
/// One unit of a plan: <see cref="Included"/> units come with the base price; beyond them the
/// tenant is either refused (hard cap: <see cref="OveragePrice"/> is null) or billed
/// <see cref="OveragePrice"/> per started block of <see cref="OverageQuantum"/> units.
/// </summary>
public sealed class PlanLimit
{
    public Guid PlanId { get; set; }

    public BillingUnit Unit { get; set; }

    public long Included { get; set; }

    /// <summary>Null: a hard cap at <see cref="Included"/>. Otherwise the price of each started block beyond it.</summary>
    public decimal? OveragePrice { get; set; }

    /// <summary>Units per priced block (e.g. 1073741824 to price storage per GiB); at least 1.</summary>
    public long OverageQuantum { get; set; } = 1;
}
