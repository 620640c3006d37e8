using Portal.Lattice.Nats;
using Portal.Testing;

namespace Portal.Tests.Integration.Lattice.Nats;

public sealed class NatsScatterGatherTests(PortalServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gathering_stops_at_an_empty_sentinel_or_when_replies_go_idle()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = servers.Nats.Url });
        await nats.ConnectAsync(Ct);
        var subject = $"test.sentinel.{Guid.NewGuid():N}";
        await using var sub = await nats.SubscribeAsync(subject, cancellationToken: Ct);
        _ = Task.Run(async () =>
        {
            await foreach (var msg in sub)
            {
                await msg.ReplyAsync("a"u8.ToArray(), cancellationToken: Ct);
                await msg.ReplyAsync("b"u8.ToArray(), cancellationToken: Ct);
                if (msg.Data.Span.SequenceEqual("sentinel"u8)) await msg.ReplyAsync(default, cancellationToken: Ct);
                await msg.ReplyAsync("late"u8.ToArray(), cancellationToken: Ct);
            }
        }, Ct);
        await nats.FlushAsync(Ct);

        var started = DateTime.UtcNow;
        var withSentinel = new List<string>();
        await foreach (var m in nats.RequestManyAsync(subject, "sentinel"u8.ToArray(), opts: new NatsRequestManyOpts { Timeout = TimeSpan.FromSeconds(5), StopOnEmptyPayload = true }, cancellationToken: Ct))
            withSentinel.Add(System.Text.Encoding.UTF8.GetString(m.Data.Span));
        Assert.Equal(["a", "b"], withSentinel);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));

        started = DateTime.UtcNow;
        var idle = 0;
        await foreach (var _ in nats.RequestManyAsync(subject, "x"u8.ToArray(), opts: new NatsRequestManyOpts { Timeout = TimeSpan.FromSeconds(5), IdleTimeout = TimeSpan.FromMilliseconds(300) }, cancellationToken: Ct)) idle++;
        Assert.Equal(3, idle);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
    }
}
