using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Portal.Api.Identity;

namespace Portal.Api.Http;

/// <summary>
/// REST rate limits: a fixed window per token and, chained, one per tenant (all of its tokens
/// together). Past either, 429 with Retry-After. The console is not limited here.
/// </summary>
internal static class ApiRateLimiting
{
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<PortalOptions>>((limiter, portal) =>
        {
            var perToken = portal.Value.RequestsPerMinutePerToken;
            var perTenant = portal.Value.RequestsPerMinutePerTenant;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, PortalClaims.TokenId, perToken)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, PortalClaims.TokenTenant, perTenant)));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"Rate limit reached. Retry after {Math.Ceiling(retryAfter.TotalSeconds)} s.",
                    instance: context.HttpContext.Request.Path).ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

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
