using System.Text;
using Portal.Lattice.Nats;
using Portal.Testing;

namespace Portal.Tests.Integration.Lattice.Nats;

public sealed class NatsCoreTests(PortalServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<NatsConnection> ConnectAsync(NatsOpts? opts = null)
    {
        var connection = new NatsConnection((opts ?? new NatsOpts()) with { Url = servers.Nats.Url });
        await connection.ConnectAsync(Ct);
        return connection;
    }

    private static string Unique(string name) => $"test.{name}.{Guid.NewGuid():N}";

    [Fact]
    public async Task Connects_and_reports_open_with_server_info()
    {
        await using var nats = await ConnectAsync();

        Assert.Equal(NatsConnectionState.Open, nats.ConnectionState);
        Assert.NotNull(nats.ServerInfo);
        Assert.True(nats.ServerInfo.Headers);
        Assert.True((await nats.PingAsync(Ct)) < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Publish_reaches_a_subscriber_in_order()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("pubsub");
        await using var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        await nats.FlushAsync(Ct);

        for (var i = 0; i < 100; i++) await nats.PublishAsync(subject, Encoding.UTF8.GetBytes($"m{i}"), cancellationToken: Ct);

        for (var i = 0; i < 100; i++)
        {
            var msg = await sub.Msgs.ReadAsync(Ct);
            Assert.Equal(subject, msg.Subject);
            Assert.Equal($"m{i}", Encoding.UTF8.GetString(msg.Data.Span));
        }
    }

    [Fact]
    public async Task Wildcard_subscription_sees_matching_subjects_only()
    {
        await using var nats = await ConnectAsync();
        var root = Unique("wild");
        await using var sub = await nats.SubscribeAsync(root + ".*.x", cancellationToken: Ct);
        await nats.FlushAsync(Ct);

        await nats.PublishAsync(root + ".a.y", "no"u8.ToArray(), cancellationToken: Ct);
        await nats.PublishAsync(root + ".b.x", "yes"u8.ToArray(), cancellationToken: Ct);

        var msg = await sub.Msgs.ReadAsync(Ct);
        Assert.Equal(root + ".b.x", msg.Subject);
    }

    [Fact]
    public async Task Large_payload_round_trips_intact()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("large");
        await using var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        await nats.FlushAsync(Ct);
        var payload = new byte[900_000];
        Random.Shared.NextBytes(payload);

        await nats.PublishAsync(subject, payload, cancellationToken: Ct);

        var msg = await sub.Msgs.ReadAsync(Ct);
        Assert.Equal(payload, msg.Data.ToArray());
    }

    [Fact]
    public async Task Queue_group_delivers_each_message_once_per_group()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("queue");
        await using var a = await nats.SubscribeAsync(subject, "workers", Ct);
        await using var b = await nats.SubscribeAsync(subject, "workers", Ct);
        await using var plain = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        await nats.FlushAsync(Ct);

        for (var i = 0; i < 50; i++) await nats.PublishAsync(subject, BitConverter.GetBytes(i), cancellationToken: Ct);
        await nats.FlushAsync(Ct);
        for (var i = 0; i < 50; i++) await plain.Msgs.ReadAsync(Ct); // the plain subscriber got them all, so the group's are in too

        var seen = new List<int>();
        while (a.Msgs.TryRead(out var m)) seen.Add(BitConverter.ToInt32(m.Data.Span));
        while (b.Msgs.TryRead(out var m)) seen.Add(BitConverter.ToInt32(m.Data.Span));
        Assert.Equal(Enumerable.Range(0, 50), seen.Order());
    }

    [Fact]
    public async Task Headers_round_trip_with_repeated_keys()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("headers");
        await using var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        await nats.FlushAsync(Ct);
        var headers = new NatsHeaders().Add("Trace-Id", "abc").Add("X-Multi", "1").Add("X-Multi", "2");

        await nats.PublishAsync(subject, "body"u8.ToArray(), headers, cancellationToken: Ct);

        var msg = await sub.Msgs.ReadAsync(Ct);
        Assert.NotNull(msg.Headers);
        Assert.Equal("abc", msg.Headers["trace-id"]);
        Assert.Equal(["1", "2"], msg.Headers.GetValues("X-Multi"));
        Assert.Equal("body", Encoding.UTF8.GetString(msg.Data.Span));
    }

    [Fact]
    public async Task Headers_without_payload_arrive_with_empty_data()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("headers-only");
        await using var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        await nats.FlushAsync(Ct);

        await nats.PublishAsync(subject, default, new NatsHeaders().Add("K", "v"), cancellationToken: Ct);

        var msg = await sub.Msgs.ReadAsync(Ct);
        Assert.Equal("v", msg.Headers?["K"]);
        Assert.True(msg.Data.IsEmpty);
    }

    [Fact]
    public async Task Request_gets_the_reply_of_a_responder()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("echo");
        await using var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        var responder = Task.Run(async () =>
        {
            await foreach (var msg in sub) await msg.ReplyAsync(Encoding.UTF8.GetBytes("re:" + Encoding.UTF8.GetString(msg.Data.Span)), cancellationToken: Ct);
        }, Ct);
        await nats.FlushAsync(Ct);

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            Encoding.UTF8.GetString((await nats.RequestAsync(subject, Encoding.UTF8.GetBytes($"q{i}"), cancellationToken: Ct)).Data.Span)));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"re:q{i}"), replies);
    }

    [Fact]
    public async Task Request_times_out_when_the_responder_stays_silent()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("silent");
        await using var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        await nats.FlushAsync(Ct);

        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<NatsRequestTimeoutException>(() =>
            nats.RequestAsync(subject, timeout: TimeSpan.FromMilliseconds(300), cancellationToken: Ct).AsTask());

        Assert.Equal(subject, error.Subject);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Request_can_be_cancelled()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("cancel");
        await using var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(100);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            nats.RequestAsync(subject, timeout: TimeSpan.FromSeconds(10), cancellationToken: cts.Token).AsTask());
    }

    [Fact]
    public async Task Request_without_subscribers_fails_fast_with_no_responders()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("nobody");

        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<NatsNoRespondersException>(() =>
            nats.RequestAsync(subject, timeout: TimeSpan.FromSeconds(5), cancellationToken: Ct).AsTask());

        Assert.Equal(subject, error.Subject);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Scatter_gather_collects_every_responder_within_the_window()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("gather");
        var responders = new List<NatsSubscription>();
        for (var i = 0; i < 3; i++)
        {
            var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
            responders.Add(sub);
            var name = $"r{i}";
            _ = Task.Run(async () =>
            {
                await foreach (var msg in sub) await msg.ReplyAsync(Encoding.UTF8.GetBytes(name), cancellationToken: Ct);
            }, Ct);
        }

        await nats.FlushAsync(Ct);

        var replies = new List<string>();
        await foreach (var reply in nats.RequestManyAsync(subject, opts: new NatsRequestManyOpts { Timeout = TimeSpan.FromMilliseconds(500) }, cancellationToken: Ct))
            replies.Add(Encoding.UTF8.GetString(reply.Data.Span));

        Assert.Equal(["r0", "r1", "r2"], replies.Order());

        var limited = 0;
        await foreach (var _ in nats.RequestManyAsync(subject, opts: new NatsRequestManyOpts { Timeout = TimeSpan.FromSeconds(5), MaxMsgs = 2 }, cancellationToken: Ct)) limited++;
        Assert.Equal(2, limited);

        foreach (var sub in responders) await sub.DisposeAsync();
    }

    [Fact]
    public async Task Scatter_gather_with_no_responders_yields_nothing_at_once()
    {
        await using var nats = await ConnectAsync();
        var started = DateTime.UtcNow;

        var count = 0;
        await foreach (var _ in nats.RequestManyAsync(Unique("gather-none"), opts: new NatsRequestManyOpts { Timeout = TimeSpan.FromSeconds(5) }, cancellationToken: Ct)) count++;

        Assert.Equal(0, count);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Unsubscribed_subscription_gets_no_more_messages_and_ends()
    {
        await using var nats = await ConnectAsync();
        var subject = Unique("unsub");
        var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        await using var witness = await nats.SubscribeAsync(subject, cancellationToken: Ct);

        await sub.DisposeAsync();
        await nats.PublishAsync(subject, "x"u8.ToArray(), cancellationToken: Ct);
        await witness.Msgs.ReadAsync(Ct);

        Assert.False(sub.Msgs.TryRead(out _));
        Assert.True(sub.Msgs.Completion.IsCompleted);
    }

    [Fact]
    public async Task Drain_delivers_what_was_sent_before_and_ends_subscriptions()
    {
        var nats = await ConnectAsync();
        var subject = Unique("drain");
        var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        await nats.FlushAsync(Ct); // the server has the subscription before the other connection publishes
        await using var publisher = await ConnectAsync();
        for (var i = 0; i < 200; i++) await publisher.PublishAsync(subject, BitConverter.GetBytes(i), cancellationToken: Ct);
        await publisher.FlushAsync(Ct);

        await nats.DrainAsync(Ct);

        var received = 0;
        await foreach (var _ in sub.WithCancellation(Ct)) received++;
        Assert.Equal(200, received);
        Assert.Equal(NatsConnectionState.Closed, nats.ConnectionState);
    }
}
