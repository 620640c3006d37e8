namespace Portal.Data.Billing;

/// <summary>The plan a tenant is on. A tenant without a row is on the default plan.</summary>
public sealed class TenantPlan : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid PlanId { get; set; }

    public Plan? Plan { get; set; }

    public DateTimeOffset AssignedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Who assigned it (user name, or <c>system</c> for the default at creation).</summary>
    public string AssignedBy { get; set; } = "";
}
