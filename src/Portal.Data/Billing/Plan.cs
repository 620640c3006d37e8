namespace Portal.Data.Billing;

/// <summary>
/// What a tenant pays each month and what it may use, managed by platform admins. Tenants point at
/// a plan (<see cref="TenantPlan"/>); a plan some tenant is on cannot be deleted, only archived
/// (archived plans keep serving their tenants and are no longer offered).
/// </summary>
public sealed class Plan
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Short unique name people and scripts use (<c>free</c>, <c>team</c>).</summary>
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    /// <summary>The base price billed each month, in <see cref="Currency"/>.</summary>
    public decimal MonthlyPrice { get; set; }

    /// <summary>ISO 4217 code, upper case (<c>EUR</c>, <c>USD</c>); overage prices are in it too.</summary>
    public required string Currency { get; set; }

    /// <summary>New tenants (and tenants with no assignment) get the default plan; at most one is.</summary>
    public bool IsDefault { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>Postgres's row version (xmin): the plan's ETag.</summary>
    public uint Version { get; set; }

    /// <summary>One line per unit the plan limits or prices; a unit without a line is unlimited and free.</summary>
    public List<PlanLimit> Limits { get; set; } = [];
}
