using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Lattice.Nats;

namespace Portal.Api.Health;

/// <summary>
/// Healthy when the lattice bus answers a PING through our own NATS client, signed in as the
/// portal: a real protocol exchange with the portal's credentials, not only an open port.
/// </summary>
internal sealed class NatsHealthCheck(IOptions<NatsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var nats = options.Value;
        var authority = new Uri(nats.Url).Authority;
        await using var connection = new NatsConnection(new NatsOpts
        {
            Url = nats.Url,
            Name = "portal-health",
            User = nats.User,
            Password = nats.Password,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            MaxReconnectRetry = 0,
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await connection.ConnectAsync(timeout.Token);
            var roundTrip = await connection.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy($"{authority} answered PING in {roundTrip.TotalMilliseconds:F1} ms");
        }
        catch (Exception e) when (e is NatsException or IOException or System.Net.Sockets.SocketException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{authority} unreachable: {e.Message}");
        }
    }
}
