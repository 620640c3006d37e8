using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Data;

namespace Portal.Api.Deployments;

/// <summary>
/// Holds one connection LISTENing on <see cref="DeploymentStatusFeed.Channel"/> and hands what
/// arrives to the feed; reconnects with backoff when Postgres goes away, and tells the feed
/// whether it is listening (the console shows when live updates are paused).
/// </summary>
public sealed class DeploymentStatusListener(
    DeploymentStatusFeed feed, IDbContextFactory<PortalDbContext> contexts, TimeProvider clock, ILogger<DeploymentStatusListener> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);
    private TimeSpan _retry = FirstRetry;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                feed.SetListening(false);
                logger.LogWarning(e, "Listening for deployment status changes failed; retrying in {Delay}.", _retry);
                try
                {
                    await Task.Delay(_retry, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                _retry = TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, MaxRetry.Ticks));
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        feed.SetListening(false);
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        connection.Notification += (_, e) => feed.Received(e.Payload);
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {DeploymentStatusFeed.Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        _retry = FirstRetry;
        feed.SetListening(true);
        // Returns only by an exception: a lost connection (keepalive finds it) or shutdown.
        while (true) await connection.WaitAsync(stoppingToken);
    }

    private string ConnectionString()
    {
        using var db = contexts.CreateDbContext();
        return new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
        {
            // Its own connection, not a pooled one: a LISTEN must not outlive it in the pool.
            Pooling = false,
            // An idle LISTEN connection would never notice that the server is gone.
            KeepAlive = 15,
            ApplicationName = "portal-deployment-status",
        }.ConnectionString;
    }
}
