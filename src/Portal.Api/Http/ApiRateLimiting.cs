using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Portal.Api.Identity;
using Portal.Api.Quotas;

namespace Portal.Api.Http;

/// <summary>
/// REST rate limits: a fixed window per token (a setting) and, chained, one per tenant (all of its
/// tokens together; the ApiRequestsPerMinute line of the tenant's plan, looked up by
/// <see cref="TenantRequestRateMiddleware"/>). Past either, 429 quota-exceeded problem details with
/// Retry-After. The console is not limited here.
/// </summary>
internal static class ApiRateLimiting
{
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<TenantRequestRates>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<PortalOptions>>((limiter, portal) =>
        {
            var perToken = portal.Value.RequestsPerMinutePerToken;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, PortalClaims.TokenId, perToken)),
                PartitionedRateLimiter.Create<HttpContext, string>(TenantPartition));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var seconds = Math.Ceiling(retryAfter.TotalSeconds);
                var tenantLimit = (context.HttpContext.Items[TenantRequestRates.ItemKey] as TenantRequestRate)?.Limit;
                var detail = tenantLimit is null
                    ? $"Rate limit reached: at most {perToken} API requests per minute per token. Retry after {seconds} s."
                    : $"Rate limit reached: at most {perToken} API requests per minute per token and {tenantLimit.Limit} per tenant (limit {tenantLimit.Source}). " +
                      $"Retry after {seconds} s, or upgrade the plan or ask a platform administrator to raise {QuotaWords.Of(tenantLimit.Unit)}.";
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    type: "/problems/quota-exceeded",
                    detail: detail,
                    instance: context.HttpContext.Request.Path,
                    extensions: tenantLimit is null ? null : new Dictionary<string, object?>
                    {
                        ["quota"] = QuotaWords.Key(tenantLimit.Unit), ["limit"] = tenantLimit.Limit, ["plan"] = tenantLimit.PlanName, ["setting"] = tenantLimit.HowToRaise,
                    }).ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    /// <summary>The tenant's plan rate; the key carries the limit, so a changed plan starts a fresh window at the new limit.</summary>
    private static RateLimitPartition<string> TenantPartition(HttpContext http) =>
        http.Items[TenantRequestRates.ItemKey] is TenantRequestRate { Limit: { } limit } && http.User.FindFirst(PortalClaims.TokenTenant)?.Value is { } tenant
            ? RateLimitPartition.GetFixedWindowLimiter($"tenant:{tenant}:{limit.Limit}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = (int)Math.Min(int.MaxValue, limit.Limit),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter("unlimited");

    private static RateLimitPartition<string> Partition(HttpContext http, string claim, int permitsPerMinute)
    {
        var value = http.User.FindFirst(claim)?.Value;
        if (value is null || !http.Request.Path.StartsWithSegments("/api/v1")) return RateLimitPartition.GetNoLimiter("unlimited");
        return RateLimitPartition.GetFixedWindowLimiter(claim + value, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
