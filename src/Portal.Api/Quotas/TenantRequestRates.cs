using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api.Billing;
using Portal.Api.Identity;
using Portal.Data.Billing;

namespace Portal.Api.Quotas;

/// <summary>A tenant's REST request rate from its plan: the permits per minute (null: the plan does not cap it) and where the cap comes from.</summary>
public sealed record TenantRequestRate(QuotaLimit? Limit);

/// <summary>
/// The ApiRequestsPerMinute line of each tenant's effective plan, for the rate limiter. The
/// limiter's partitioning is synchronous and runs on every request, so the plan is read here once
/// per tenant and kept for <see cref="Lifetime"/>; plan changes on this replica forget it at once,
/// other replicas follow within the lifetime.
/// </summary>
public sealed class TenantRequestRates(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, (TenantRequestRate Rate, DateTimeOffset Expires)> _rates = new();

    public async ValueTask<TenantRequestRate> ForAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (_rates.TryGetValue(tenantId, out var cached) && cached.Expires > clock.GetUtcNow()) return cached.Rate;
        await using var scope = scopes.CreateAsyncScope();
        var limits = await scope.ServiceProvider.GetRequiredService<ITenantLimits>().ForAsync(tenantId, cancellationToken);
        var rate = new TenantRequestRate(limits.For(BillingUnit.ApiRequestsPerMinute));
        _rates[tenantId] = (rate, clock.GetUtcNow() + Lifetime);
        return rate;
    }

    public void Forget(Guid tenantId) => _rates.TryRemove(tenantId, out _);

    /// <summary>After a plan itself changes: every tenant on it may have a new rate.</summary>
    public void ForgetAll() => _rates.Clear();

    /// <summary>Where the rate limiter's partition finds the request's tenant rate.</summary>
    public const string ItemKey = "portal:tenant-request-rate";
}

/// <summary>Looks up the token's tenant's rate before the rate limiter partitions the request (the partitioner cannot wait on the database).</summary>
internal sealed class TenantRequestRateMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, TenantRequestRates rates)
    {
        if (context.Request.Path.StartsWithSegments("/api/v1") && Guid.TryParse(context.User.FindFirst(PortalClaims.TokenTenant)?.Value, out var tenantId))
        {
            context.Items[TenantRequestRates.ItemKey] = await rates.ForAsync(tenantId, context.RequestAborted);
        }

        await next(context);
    }
}
