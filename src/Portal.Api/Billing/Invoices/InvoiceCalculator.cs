using Portal.Data.Billing;

namespace Portal.Api.Billing.Invoices;

/// <summary>
/// The month's bill from a plan and the month's metered use. Pure, so the rule is pinned by tests.
/// Lines: the plan's base price, then one line per metered unit whose use passed its included
/// amount and that has an overage price: started blocks of the unit's quantum beyond the
/// included amount × price. Use is rounded up to a whole unit first (a partial byte-hour counts).
/// Units that are only limits at the point of change (applications, instances, ...) are refused
/// at admission when capped and produce no overage line.
/// </summary>
public static class InvoiceCalculator
{
    /// <summary>Units that usage records measure, in invoice order.</summary>
    public static readonly BillingUnit[] MeteredUnits =
        [BillingUnit.ActorInstanceSeconds, BillingUnit.ProviderInstanceSeconds, BillingUnit.InvocationsPerMonth, BillingUnit.StorageByteHours];

    public static IReadOnlyList<InvoiceLine> Lines(EffectivePlan plan, IReadOnlyDictionary<BillingUnit, decimal> used)
    {
        var lines = new List<InvoiceLine>
        {
            new()
            {
                Position = 1, Description = $"Plan {plan.PlanName}, monthly price", Quantity = 1,
                UnitPrice = plan.MonthlyPrice, Amount = Money.Round(plan.MonthlyPrice, plan.Currency),
            },
        };
        foreach (var unit in MeteredUnits)
        {
            var amountUsed = used.GetValueOrDefault(unit);
            if (plan.For(unit) is not { OveragePrice: { } price } limit) continue;
            var whole = (long)Math.Ceiling(amountUsed);
            var over = limit.Overage(whole);
            if (over == 0) continue;
            var blocks = over / limit.OverageQuantum + (over % limit.OverageQuantum == 0 ? 0 : 1);
            lines.Add(new InvoiceLine
            {
                Position = lines.Count + 1,
                Unit = unit,
                Description = limit.OverageQuantum == 1
                    ? $"{Describe(unit)} beyond {limit.Included:N0} included"
                    : $"{Describe(unit)} beyond {limit.Included:N0} included, per {limit.OverageQuantum:N0}",
                Used = amountUsed,
                Included = limit.Included,
                Quantity = blocks,
                UnitPrice = price,
                Amount = Money.Round(blocks * price, plan.Currency),
            });
        }

        return lines;
    }

    public static decimal Total(IEnumerable<InvoiceLine> lines) => lines.Sum(l => l.Amount);

    public static string Describe(BillingUnit unit) => unit switch
    {
        BillingUnit.ActorInstanceSeconds => "Actor instance-seconds",
        BillingUnit.ProviderInstanceSeconds => "Provider instance-seconds",
        BillingUnit.InvocationsPerMonth => "Invocations",
        BillingUnit.StorageByteHours => "Artifact storage byte-hours",
        _ => unit.ToString(),
    };
}
