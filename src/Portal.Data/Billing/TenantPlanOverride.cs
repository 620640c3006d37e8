namespace Portal.Data.Billing;

/// <summary>
/// A platform admin's exception for one tenant and one unit: it replaces the plan's line for that
/// unit (same meaning as <see cref="PlanLimit"/>) whichever plan the tenant is on.
/// </summary>
public sealed class TenantPlanOverride : ITenantOwned
{
    public Guid TenantId { get; set; }

    public BillingUnit Unit { get; set; }

    public long Included { get; set; }

    public decimal? OveragePrice { get; set; }

    public long OverageQuantum { get; set; } = 1;

    /// <summary>Why the exception was made, for the next admin who reads it.</summary>
    public string Reason { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public string CreatedBy { get; set; } = "";
}
