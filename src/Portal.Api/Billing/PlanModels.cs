namespace Portal.Api.Billing;

/// <summary>One unit of a plan or an override: <c>overagePrice</c> null is a hard cap at <c>included</c>; otherwise each started block of <c>overageQuantum</c> units past it costs <c>overagePrice</c>.</summary>
public sealed record PlanLimitModel(string Unit, long Included, decimal? OveragePrice = null, long? OverageQuantum = null);

/// <summary>Create or replace a plan. <c>limits</c> lists every unit the plan limits or prices; a unit left out is unlimited and free.</summary>
public sealed record PlanRequest(string? Name, string? Description, decimal? MonthlyPrice, string? Currency, bool? IsDefault, IReadOnlyList<PlanLimitModel>? Limits);

public sealed record PlanResponse(
    string Name, string Description, decimal MonthlyPrice, string Currency, bool IsDefault, DateTimeOffset? ArchivedAt, int Tenants, IReadOnlyList<PlanLimitModel> Limits);

public sealed record AssignPlanRequest(string? Plan);

/// <summary>A platform admin's exception for one tenant and unit (same meaning as a plan line), with the reason.</summary>
public sealed record PlanOverrideRequest(long? Included, decimal? OveragePrice, long? OverageQuantum, string? Reason);

/// <summary>One unit of the plan a tenant is on, with its override applied (<c>overridden</c>).</summary>
public sealed record EffectiveLimitModel(string Unit, long Included, bool HardCap, decimal? OveragePrice, long OverageQuantum, bool Overridden);

/// <summary>The plan a tenant is on (<c>assigned</c> false: the default, implicitly) and its effective limits.</summary>
public sealed record TenantPlanResponse(string Tenant, string Plan, decimal MonthlyPrice, string Currency, bool Assigned, IReadOnlyList<EffectiveLimitModel> Limits)
{
    public static TenantPlanResponse From(string tenant, EffectivePlan plan) => new(
        tenant, plan.PlanName, plan.MonthlyPrice, plan.Currency, plan.Assigned,
        plan.Limits.Values.OrderBy(l => l.Unit).Select(l => new EffectiveLimitModel(
            BillingUnits.Key(l.Unit), l.Included, l.IsHardCap, l.OveragePrice, l.OverageQuantum, l.Overridden)).ToList());
}
