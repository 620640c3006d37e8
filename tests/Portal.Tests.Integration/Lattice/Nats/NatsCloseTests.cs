using Portal.Lattice.Nats;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Lattice.Nats;

/// <summary>How a connection ends when the server stays away, and when it is disposed meanwhile.</summary>
public sealed class NatsCloseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NatsOpts FastRetry(string url, int maxRetry) => new()
    {
        Url = url,
        ReconnectWaitMin = TimeSpan.FromMilliseconds(20),
        ReconnectWaitMax = TimeSpan.FromMilliseconds(50),
        ReconnectJitter = TimeSpan.Zero,
        MaxReconnectRetry = maxRetry,
        // Generous: the first connect must succeed on a crowded machine; once the server is killed,
        // attempts are refused at once, so this does not slow the reconnect loop down.
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Gives_up_after_the_reconnect_limit_and_ends_subscriptions_with_an_error()
    {
        await using var server = await NatsServer.StartAsync(cancellationToken: Ct);
        await using var nats = new NatsConnection(FastRetry(server.Url, maxRetry: 3));
        await nats.ConnectAsync(Ct);
        var sub = await nats.SubscribeAsync("never", cancellationToken: Ct);

        server.Kill();

        var error = await Assert.ThrowsAsync<NatsException>(async () =>
        {
            await foreach (var _ in sub.WithCancellation(Ct))
            {
            }
        });
        Assert.Contains("reconnect", error.Message);
        Assert.Equal(NatsConnectionState.Closed, nats.ConnectionState);
        await Assert.ThrowsAsync<NatsException>(() => nats.RequestAsync("x", timeout: TimeSpan.FromSeconds(1), cancellationToken: Ct).AsTask());
    }

    [Fact]
    public async Task Dispose_while_reconnecting_ends_subscriptions_quietly()
    {
        await using var server = await NatsServer.StartAsync(cancellationToken: Ct);
        var nats = new NatsConnection(FastRetry(server.Url, maxRetry: -1));
        await nats.ConnectAsync(Ct);
        var sub = await nats.SubscribeAsync("never", cancellationToken: Ct);
        server.Kill();
        while (nats.ConnectionState != NatsConnectionState.Reconnecting) await Task.Delay(10, Ct);

        await nats.DisposeAsync();

        var count = 0;
        await foreach (var _ in sub.WithCancellation(Ct)) count++;
        Assert.Equal(0, count);
        Assert.Equal(NatsConnectionState.Closed, nats.ConnectionState);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => nats.PublishAsync("x", cancellationToken: Ct).AsTask());
    }
}
