namespace Portal.Data.Billing;

/// <summary>One line of an invoice: the base price (no unit) or one unit's overage.</summary>
public sealed class InvoiceLine
{
    public long Id { get; set; }

    public Guid InvoiceId { get; set; }

    public int Position { get; set; }

    /// <summary>Null for the base price line.</summary>
    public BillingUnit? Unit { get; set; }

    public required string Description { get; set; }

    /// <summary>What was used in the month (0 on the base line).</summary>
    public decimal Used { get; set; }

    public long Included { get; set; }

    /// <summary>Priced blocks: 1 for the base line, started blocks of the overage quantum beyond the included amount otherwise.</summary>
    public long Quantity { get; set; }

    public decimal UnitPrice { get; set; }

    /// <summary>Quantity × unit price, rounded half to even to the currency's minor unit.</summary>
    public decimal Amount { get; set; }
}
