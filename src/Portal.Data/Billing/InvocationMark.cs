namespace Portal.Data.Billing;

/// <summary>
/// The last invocation report counted for one host boot: its sequence and cumulative totals per
/// component (JSON). A report is counted only when its sequence is above this one, and only its
/// difference to these totals, so duplicates, replicas and late reports add nothing twice.
/// </summary>
public sealed class InvocationMark
{
    public required string LatticeId { get; set; }

    public required string HostId { get; set; }

    public required string BootId { get; set; }

    public long Sequence { get; set; }

    /// <summary><c>{"component-id": total}</c> as of <see cref="Sequence"/>.</summary>
    public string Totals { get; set; } = "{}";

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}
