using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Api.Http.Idempotency;

/// <summary>
/// Deletes idempotency records older than <see cref="IdempotencyOptions.Retention"/> every
/// <see cref="IdempotencyOptions.PurgeInterval"/>. Every replica may run it: the delete is idempotent.
/// </summary>
public sealed class IdempotencyPurgeService(IServiceScopeFactory scopes, IOptions<IdempotencyOptions> options, TimeProvider clock, ILogger<IdempotencyPurgeService> logger)
    : BackgroundService
{
    /// <summary>One pass: deletes what has expired; returns how many records went.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IdempotencyStore>();
        return await store.PurgeAsync(clock.GetUtcNow() - options.Value.Retention, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, clock);
        do
        {
            try
            {
                var purged = await PurgeOnceAsync(stoppingToken);
                if (purged > 0) logger.LogInformation("Purged {Count} expired idempotency records.", purged);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be briefly away; the next tick tries again.
                logger.LogWarning(e, "Purging expired idempotency records failed.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
