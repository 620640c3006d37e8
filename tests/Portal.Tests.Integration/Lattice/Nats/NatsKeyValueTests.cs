using System.Text;
using Portal.Lattice.Nats;
using Portal.Lattice.Nats.KeyValue;
using Portal.Testing;

namespace Portal.Tests.Integration.Lattice.Nats;

public sealed class NatsKeyValueTests(PortalServers servers) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private NatsConnection _nats = null!;

    public async ValueTask InitializeAsync()
    {
        _nats = new NatsConnection(new NatsOpts { Url = servers.Nats.Url });
        await _nats.ConnectAsync(Ct);
    }

    public ValueTask DisposeAsync() => _nats.DisposeAsync();

    private Task<NatsKvStore> NewBucketAsync(int history = 1) =>
        new NatsKeyValue(_nats).CreateOrBindAsync(new KvStoreConfig($"T{Guid.NewGuid():N}") { History = history }, Ct).AsTask();

    [Fact]
    public async Task Create_makes_a_kv_stream_and_a_second_create_binds_to_it()
    {
        var kv = new NatsKeyValue(_nats);
        var bucket = $"LATTICEDATA_t{Guid.NewGuid():N}"[..30];
        var first = await kv.CreateOrBindAsync(new KvStoreConfig(bucket), Ct);
        await first.PutAsync("COMPONENT_x", "{}"u8.ToArray(), Ct);

        var second = await kv.CreateOrBindAsync(new KvStoreConfig(bucket), Ct);
        var bound = await kv.BindAsync(bucket, Ct);

        Assert.Equal("KV_" + bucket, second.Stream);
        Assert.Equal("{}", Encoding.UTF8.GetString((await bound.GetAsync("COMPONENT_x", Ct))!.Value.Span));
        var missing = await Assert.ThrowsAsync<NatsJetStreamException>(() => kv.BindAsync("NoSuchBucket" + Guid.NewGuid().ToString("N"), Ct).AsTask());
        Assert.Equal(NatsJetStreamException.StreamNotFound, missing.ErrorCode);
    }

    [Fact]
    public async Task Put_then_get_returns_the_latest_value_and_revision()
    {
        var store = await NewBucketAsync();

        var r1 = await store.PutAsync("a", "one"u8.ToArray(), Ct);
        var r2 = await store.PutAsync("a", "two"u8.ToArray(), Ct);
        var entry = await store.GetEntryAsync("a", Ct);

        Assert.True(r2 > r1);
        Assert.NotNull(entry);
        Assert.Equal("two", Encoding.UTF8.GetString(entry.Value.Span));
        Assert.Equal(r2, entry.Revision);
        Assert.Equal(KvOperation.Put, entry.Operation);
        Assert.Null(await store.GetEntryAsync("never", Ct));
    }

    [Fact]
    public async Task Delete_and_purge_hide_the_key()
    {
        var store = await NewBucketAsync(history: 5);
        await store.PutAsync("gone", "x"u8.ToArray(), Ct);
        await store.PutAsync("purged", "y"u8.ToArray(), Ct);
        await store.PutAsync("kept", "z"u8.ToArray(), Ct);

        await store.DeleteAsync("gone", Ct);
        await store.PurgeAsync("purged", Ct);

        Assert.Null(await store.GetEntryAsync("gone", Ct));
        Assert.Null(await store.GetEntryAsync("purged", Ct));
        Assert.NotNull(await store.GetEntryAsync("kept", Ct));
    }

    [Fact]
    public async Task Keys_lists_live_keys_only()
    {
        var store = await NewBucketAsync();
        Assert.Empty(await store.GetKeysAsync(cancellationToken: Ct));
        foreach (var key in new[] { "COMPONENT_a", "COMPONENT_b", "cfg.x", "dead" }) await store.PutAsync(key, "v"u8.ToArray(), Ct);
        await store.PutAsync("COMPONENT_a", "v2"u8.ToArray(), Ct);
        await store.DeleteAsync("dead", Ct);

        var keys = await store.GetKeysAsync(cancellationToken: Ct);

        Assert.Equal(["COMPONENT_a", "COMPONENT_b", "cfg.x"], keys.Order());
        Assert.Equal(["cfg.x"], await store.GetKeysAsync("cfg.>", Ct));
        Assert.Empty(await store.GetKeysAsync("none.>", Ct));
    }

    [Fact]
    public async Task Update_writes_only_over_the_expected_revision()
    {
        var store = await NewBucketAsync();
        var r1 = await store.PutAsync("k", "1"u8.ToArray(), Ct);
        var r2 = await store.UpdateAsync("k", "2"u8.ToArray(), r1, Ct);

        // A writer still holding r1 lost the race: refused, and the winner's value stays.
        var stale = await Assert.ThrowsAsync<NatsKvWrongRevisionException>(() => store.UpdateAsync("k", "stale"u8.ToArray(), r1, Ct).AsTask());
        Assert.Equal("k", stale.Key);
        var entry = await store.GetEntryAsync("k", Ct);
        Assert.Equal(("2", r2), (Encoding.UTF8.GetString(entry!.Value.Span), entry.Revision));
    }

    [Fact]
    public async Task Create_refuses_a_live_key_and_builds_on_a_deleted_one()
    {
        var store = await NewBucketAsync(history: 3);
        await store.CreateAsync("fresh", "a"u8.ToArray(), Ct);
        await Assert.ThrowsAsync<NatsKvWrongRevisionException>(() => store.CreateAsync("fresh", "b"u8.ToArray(), Ct).AsTask());

        await store.DeleteAsync("fresh", Ct);
        await store.CreateAsync("fresh", "c"u8.ToArray(), Ct);
        await store.PurgeAsync("fresh", Ct);
        await store.CreateAsync("fresh", "d"u8.ToArray(), Ct);

        Assert.Equal("d", Encoding.UTF8.GetString((await store.GetAsync("fresh", Ct))!.Value.Span));
    }

    [Fact]
    public async Task Watch_replays_current_values_then_reports_changes_and_deletes()
    {
        var store = await NewBucketAsync();
        await store.PutAsync("existing", "1"u8.ToArray(), Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        var seen = new List<(string, KvOperation, string)>();

        await using var watch = store.WatchAsync(cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        seen.Add((watch.Current.Key, watch.Current.Operation, Encoding.UTF8.GetString(watch.Current.Value.Span)));
        await store.PutAsync("new", "2"u8.ToArray(), Ct);
        await store.DeleteAsync("existing", Ct);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await watch.MoveNextAsync());
            seen.Add((watch.Current.Key, watch.Current.Operation, Encoding.UTF8.GetString(watch.Current.Value.Span)));
        }

        Assert.Equal([("existing", KvOperation.Put, "1"), ("new", KvOperation.Put, "2"), ("existing", KvOperation.Delete, "")], seen);
    }

    [Fact]
    public async Task Watch_with_updates_only_skips_existing_values()
    {
        var store = await NewBucketAsync();
        await store.PutAsync("old", "1"u8.ToArray(), Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));

        await using var watch = store.WatchAsync(opts: new KvWatchOpts { UpdatesOnly = true }, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        var first = watch.MoveNextAsync();
        await Task.Delay(500, Ct); // the consumer exists once the watch has started; give it time before writing
        await store.PutAsync("fresh", "2"u8.ToArray(), Ct);

        Assert.True(await first);
        Assert.Equal("fresh", watch.Current.Key);
    }
}
