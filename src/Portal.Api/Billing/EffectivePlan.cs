using Portal.Data.Billing;

namespace Portal.Api.Billing;

/// <summary>
/// One unit of a tenant's effective plan: the plan's line, or the tenant's override of it.
/// <see cref="OveragePrice"/> null means a hard cap at <see cref="Included"/>.
/// </summary>
public sealed record EffectiveLimit(BillingUnit Unit, long Included, decimal? OveragePrice, long OverageQuantum, bool Overridden)
{
    public bool IsHardCap => OveragePrice is null;

    /// <summary>Units past <see cref="Included"/> (0 when within it).</summary>
    public long Overage(long used) => Math.Max(0, used - Included);

    /// <summary>
    /// What <paramref name="used"/> units cost beyond the base price: each started block of
    /// <see cref="OverageQuantum"/> units past <see cref="Included"/> at <see cref="OveragePrice"/>.
    /// A hard cap charges nothing (it refuses instead).
    /// </summary>
    public decimal OverageCharge(long used)
    {
        if (OveragePrice is not { } price) return 0m;
        var over = Overage(used);
        var blocks = over / OverageQuantum + (over % OverageQuantum == 0 ? 0 : 1);
        return blocks * price;
    }
}

/// <summary>
/// What a tenant is on right now: its plan's price and, per unit, the plan's line with the
/// tenant's overrides applied. A unit missing from <see cref="Limits"/> is unlimited and free.
/// </summary>
public sealed record EffectivePlan(
    Guid PlanId,
    string PlanName,
    decimal MonthlyPrice,
    string Currency,
    bool Assigned,
    IReadOnlyDictionary<BillingUnit, EffectiveLimit> Limits)
{
    public EffectiveLimit? For(BillingUnit unit) => Limits.GetValueOrDefault(unit);

    /// <summary>The hard cap on <paramref name="unit"/>, or null when the unit is unlimited or billed past its included amount.</summary>
    public long? HardCap(BillingUnit unit) => For(unit) is { IsHardCap: true } limit ? limit.Included : null;

    /// <summary>Plan lines with overrides laid over them, unit by unit (pure: the rule the unit tests pin).</summary>
    public static EffectivePlan Compute(Plan plan, IEnumerable<TenantPlanOverride> overrides, bool assigned)
    {
        var limits = plan.Limits.ToDictionary(
            l => l.Unit,
            l => new EffectiveLimit(l.Unit, l.Included, l.OveragePrice, Math.Max(1, l.OverageQuantum), Overridden: false));
        foreach (var o in overrides)
        {
            limits[o.Unit] = new EffectiveLimit(o.Unit, o.Included, o.OveragePrice, Math.Max(1, o.OverageQuantum), Overridden: true);
        }

        return new EffectivePlan(plan.Id, plan.Name, plan.MonthlyPrice, plan.Currency, assigned, limits);
    }
}
