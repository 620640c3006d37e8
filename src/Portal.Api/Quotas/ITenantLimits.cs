using Portal.Api.Billing;
using Portal.Data.Billing;

namespace Portal.Api.Quotas;

/// <summary>
/// One hard limit of a tenant and where it comes from: the tenant's plan, or a platform admin's
/// override of it. <see cref="HowToRaise"/> is the "setting" every quota refusal names.
/// </summary>
public sealed record QuotaLimit(BillingUnit Unit, long Limit, string PlanName, bool Overridden)
{
    public string Source => Overridden ? $"plan '{PlanName}' with an override for this tenant" : $"plan '{PlanName}'";

    public string HowToRaise => $"{Source}: upgrade the plan, or ask a platform administrator to raise {QuotaWords.Of(Unit)}";
}

/// <summary>A tenant's limits, answered by its effective plan (plan + overrides).</summary>
public sealed record TenantLimits(EffectivePlan Plan)
{
    /// <summary>The hard cap on <paramref name="unit"/>; null when the plan does not cap it (unlimited, or billed past what is included).</summary>
    public QuotaLimit? For(BillingUnit unit) =>
        Plan.For(unit) is { IsHardCap: true } line ? new QuotaLimit(unit, line.Included, Plan.PlanName, line.Overridden) : null;
}

public interface ITenantLimits
{
    ValueTask<TenantLimits> ForAsync(Guid tenantId, CancellationToken cancellationToken = default);
}

/// <summary>Limits from the tenant's effective plan, read at the point of change (never cached: an admin's raise applies at once).</summary>
internal sealed class PlanTenantLimits(ITenantPlans plans) : ITenantLimits
{
    public async ValueTask<TenantLimits> ForAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        new(await plans.GetEffectivePlanAsync(tenantId, cancellationToken));
}
