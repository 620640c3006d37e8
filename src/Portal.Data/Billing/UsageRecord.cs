namespace Portal.Data.Billing;

/// <summary>
/// Metered use of one unit by one tenant in one lattice and application during one metering
/// period. The key (tenant, lattice, application, unit, period start) is unique: a sample is
/// written once whichever replica or restart writes it (insert-or-nothing), and invocation
/// differences are added to the period's row.
/// </summary>
public sealed class UsageRecord : ITenantOwned
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>Wire lattice id; empty for tenant-wide units (artifact storage).</summary>
    public string LatticeId { get; set; } = "";

    /// <summary>The wadm application (managed-by annotation); empty for unmanaged instances and tenant-wide units.</summary>
    public string Application { get; set; } = "";

    /// <summary>One of the metered units: ActorInstanceSeconds, ProviderInstanceSeconds, InvocationsPerMonth, StorageByteHours.</summary>
    public BillingUnit Unit { get; set; }

    /// <summary>Start of the metering period (UTC, a multiple of the metering interval): the period key.</summary>
    public DateTimeOffset PeriodStart { get; set; }

    public decimal Quantity { get; set; }

    public DateTimeOffset RecordedAt { get; set; } = DateTimeOffset.UtcNow;
}
