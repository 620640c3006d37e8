using Portal.Lattice.Nats;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Lattice.Nats;

/// <summary>Keep-alive in both directions.</summary>
public sealed class NatsKeepAliveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Server_pings_are_answered_so_the_connection_is_not_dropped_as_stale()
    {
        // The server pings every second and drops a client after one unanswered ping.
        await using var server = await NatsServer.StartAsync("ping_interval: \"1s\"\nping_max: 1", Ct);
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url, PingInterval = TimeSpan.FromMinutes(10) });
        await nats.ConnectAsync(Ct);

        await Task.Delay(TimeSpan.FromSeconds(3.5), Ct);

        Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
        Assert.Equal(0, nats.ReconnectCount);
        Assert.True(await nats.PingAsync(Ct) < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Client_pings_keep_flowing_without_disturbing_flushes()
    {
        await using var server = await NatsServer.StartAsync(cancellationToken: Ct);
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url, PingInterval = TimeSpan.FromMilliseconds(50), MaxPingOut = 2 });
        await nats.ConnectAsync(Ct);

        for (var i = 0; i < 20; i++)
        {
            await nats.FlushAsync(Ct);
            await Task.Delay(25, Ct);
        }

        Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
        Assert.Equal(0, nats.ReconnectCount);
    }
}
