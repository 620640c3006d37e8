using System.Text;
using Portal.Lattice.Nats;
using Portal.Lattice.Nats.KeyValue;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Lattice.Nats;

public sealed class NatsKeyValueReconnectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Watch_resumes_after_the_server_restarts_without_repeating_entries()
    {
        await using var server = await NatsServer.StartAsync(cancellationToken: Ct);
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url, ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200) });
        await nats.ConnectAsync(Ct);
        var store = await new NatsKeyValue(nats).CreateOrBindAsync(new KvStoreConfig("LATTICEDATA_default"), Ct);
        await store.PutAsync("COMPONENT_a", "1"u8.ToArray(), Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        await using var watch = store.WatchAsync(cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("COMPONENT_a", watch.Current.Key);

        server.Kill();
        await server.RestartAsync(Ct);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (nats.ConnectionState != NatsConnectionState.Open || nats.ReconnectCount == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no reconnect");
            await Task.Delay(20, Ct);
        }

        // Writes retry until JetStream is back; then the resumed watch must see the new key, and only it.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await store.PutAsync("COMPONENT_b", "2"u8.ToArray(), Ct);
                break;
            }
            catch (NatsException) when (attempt < 40)
            {
                await Task.Delay(250, Ct);
            }
        }

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(("COMPONENT_b", "2"), (watch.Current.Key, Encoding.UTF8.GetString(watch.Current.Value.Span)));
        Assert.Equal("2", Encoding.UTF8.GetString((await store.GetAsync("COMPONENT_b", Ct))!.Value.Span));
    }
}
