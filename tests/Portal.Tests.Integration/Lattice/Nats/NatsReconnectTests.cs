using System.Collections.Concurrent;
using Portal.Lattice.Nats;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Lattice.Nats;

/// <summary>Kills and restarts a private nats-server under a live connection.</summary>
public sealed class NatsReconnectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reconnects_after_server_restart_restores_subscriptions_and_reports_states()
    {
        await using var server = await NatsServer.StartAsync(cancellationToken: Ct);
        var states = new ConcurrentQueue<NatsConnectionState>();
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url, ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200) });
        nats.ConnectionStateChanged += (_, e) => states.Enqueue(e.Current);
        await nats.ConnectAsync(Ct);
        await using var sub = await nats.SubscribeAsync("restore.me", cancellationToken: Ct);
        await using var queued = await nats.SubscribeAsync("restore.queue", "g", Ct);
        await nats.FlushAsync(Ct);

        server.Kill();
        await WaitUntilAsync(() => nats.ConnectionState == NatsConnectionState.Reconnecting);
        await server.RestartAsync(Ct);
        await WaitUntilAsync(() => nats.ConnectionState == NatsConnectionState.Open);

        // A second client, connected only after the restart, publishes; our restored subscriptions must get it.
        await using var other = new NatsConnection(new NatsOpts { Url = server.Url });
        await other.ConnectAsync(Ct);
        await other.PublishAsync("restore.me", "after"u8.ToArray(), cancellationToken: Ct);
        await other.PublishAsync("restore.queue", "q"u8.ToArray(), cancellationToken: Ct);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        Assert.Equal("after"u8.ToArray(), (await sub.Msgs.ReadAsync(timeout.Token)).Data.ToArray());
        Assert.Equal("q"u8.ToArray(), (await queued.Msgs.ReadAsync(timeout.Token)).Data.ToArray());
        Assert.Equal(1, nats.ReconnectCount);
        Assert.Equal([NatsConnectionState.Connecting, NatsConnectionState.Open, NatsConnectionState.Reconnecting, NatsConnectionState.Open], states);
    }

    [Fact]
    public async Task Requests_work_again_after_reconnect_and_publishes_made_while_down_are_delivered()
    {
        await using var server = await NatsServer.StartAsync(cancellationToken: Ct);
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url, ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200) });
        await nats.ConnectAsync(Ct);
        await using var responder = await nats.SubscribeAsync("svc.echo", cancellationToken: Ct);
        _ = Task.Run(async () =>
        {
            await foreach (var msg in responder) await msg.ReplyAsync(msg.Data, cancellationToken: Ct);
        }, Ct);
        await using var buffered = await nats.SubscribeAsync("while.down", cancellationToken: Ct);
        Assert.Equal("1"u8.ToArray(), (await nats.RequestAsync("svc.echo", "1"u8.ToArray(), cancellationToken: Ct)).Data.ToArray());

        server.Kill();
        await WaitUntilAsync(() => nats.ConnectionState == NatsConnectionState.Reconnecting);
        await nats.PublishAsync("while.down", "kept"u8.ToArray(), cancellationToken: Ct);
        await server.RestartAsync(Ct);
        await WaitUntilAsync(() => nats.ConnectionState == NatsConnectionState.Open);

        Assert.Equal("2"u8.ToArray(), (await nats.RequestAsync("svc.echo", "2"u8.ToArray(), cancellationToken: Ct)).Data.ToArray());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        Assert.Equal("kept"u8.ToArray(), (await buffered.Msgs.ReadAsync(timeout.Token)).Data.ToArray());
    }

    [Fact]
    public async Task First_connect_to_a_dead_port_fails_with_a_clear_error()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = "nats://127.0.0.1:1" });

        var error = await Assert.ThrowsAsync<NatsException>(() => nats.ConnectAsync(Ct));

        Assert.Contains("127.0.0.1:1", error.Message);
        Assert.Equal(NatsConnectionState.Closed, nats.ConnectionState);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            await Task.Delay(20, Ct);
        }
    }
}
