using Microsoft.Extensions.Options;

namespace Portal.Api.Quotas;

/// <summary>
/// A tenant's counted limits, each with its source (what a person changes to raise it: a setting
/// today, the tenant's plan once Billing answers). One seam so Billing can answer from the tenant's plan instead of configuration.
/// </summary>
public sealed record TenantLimits(int Applications, int Instances, string ApplicationsSource, string InstancesSource);

public interface ITenantLimits
{
    ValueTask<TenantLimits> ForAsync(Guid tenantId, CancellationToken cancellationToken = default);
}

/// <summary>The same limits for every tenant, from <c>Portal:Quotas</c>.</summary>
internal sealed class ConfiguredTenantLimits(IOptions<QuotaOptions> options) : ITenantLimits
{
    public ValueTask<TenantLimits> ForAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new TenantLimits(
            options.Value.Applications, options.Value.Instances,
            $"{QuotaOptions.Section}:{nameof(QuotaOptions.Applications)}", $"{QuotaOptions.Section}:{nameof(QuotaOptions.Instances)}"));
}
