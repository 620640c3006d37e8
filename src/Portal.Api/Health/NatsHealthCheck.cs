using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Portal.Api.Health;

/// <summary>
/// Healthy when the lattice bus answers a NATS PING with PONG: a real protocol exchange,
/// not only an open port.
/// </summary>
internal sealed class NatsHealthCheck(IOptions<NatsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(options.Value.Url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(uri.Host, uri.Port, timeout.Token);
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var info = await reader.ReadLineAsync(timeout.Token);
            if (info is null || !info.StartsWith("INFO ", StringComparison.Ordinal))
            {
                return HealthCheckResult.Unhealthy($"{uri.Authority} did not greet with INFO");
            }

            var connect = CreateConnect(options.Value);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(connect + "PING\r\n"), timeout.Token);
            string? line;
            while ((line = await reader.ReadLineAsync(timeout.Token)) is not null)
            {
                if (line == "PONG") return HealthCheckResult.Healthy($"{uri.Authority} answered PING");
                if (line.StartsWith("-ERR", StringComparison.Ordinal)) return HealthCheckResult.Unhealthy($"{uri.Authority}: {line}");
            }

            return HealthCheckResult.Unhealthy($"{uri.Authority} closed the connection");
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{uri.Authority} unreachable: {ex.Message}");
        }
    }

    private static string CreateConnect(NatsOptions nats)
    {
        var auth = nats.User is null ? "" : $",\"user\":{System.Text.Json.JsonSerializer.Serialize(nats.User)},\"pass\":{System.Text.Json.JsonSerializer.Serialize(nats.Password ?? "")}";
        return $"CONNECT {{\"verbose\":false,\"pedantic\":false,\"name\":\"portal-health\"{auth}}}\r\n";
    }
}
