namespace Portal.Api.Billing;

/// <summary>
/// The read side of plans for the rest of the portal (quotas, metering, invoices): a tenant's
/// effective plan, i.e. its assigned plan (or the default one) with its overrides applied.
/// </summary>
public interface ITenantPlans
{
    Task<EffectivePlan> GetEffectivePlanAsync(Guid tenantId, CancellationToken cancellationToken = default);
}
