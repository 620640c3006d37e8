namespace Portal.Data.Billing;

/// <summary>
/// A tenant's bill for one calendar month: the plan's base price plus overage lines. Amounts are
/// in <see cref="Currency"/>, each line rounded to the currency's minor unit; totals are sums of
/// rounded lines. At most one invoice per tenant and month that is not void.
/// </summary>
public sealed class Invoice : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    /// <summary>Human number, e.g. <c>2026-11-acme</c>.</summary>
    public required string Number { get; set; }

    /// <summary>First day of the billed month (UTC).</summary>
    public DateOnly Month { get; set; }

    public required string Currency { get; set; }

    public InvoiceStatus Status { get; set; } = InvoiceStatus.Draft;

    /// <summary>The plan the month was billed on (its name at closing time).</summary>
    public required string PlanName { get; set; }

    public decimal Total { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? IssuedAt { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    public DateTimeOffset? VoidedAt { get; set; }

    public List<InvoiceLine> Lines { get; set; } = [];
}

/// <summary>draft → issued → paid; draft or issued → void. Only a draft is recomputed by a new close.</summary>
public enum InvoiceStatus
{
    Draft,
    Issued,
    Paid,
    Void,
}
