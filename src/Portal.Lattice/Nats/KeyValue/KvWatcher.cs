using System.Text.Json.Nodes;

namespace Portal.Lattice.Nats.KeyValue;

/// <summary>
/// An ephemeral push consumer on the bucket's stream delivering to a private inbox (no acks).
/// Disposing it unsubscribes and deletes the consumer; if we vanish, the server removes it after
/// its inactivity threshold.
/// </summary>
internal sealed class KvWatcher : IAsyncEnumerable<KvEntry>, IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly NatsKvStore _store;
    private readonly NatsSubscription _subscription;
    private readonly string _consumer;

    private KvWatcher(NatsConnection connection, NatsKvStore store, NatsSubscription subscription, string consumer, ulong initialPending)
    {
        _connection = connection;
        _store = store;
        _subscription = subscription;
        _consumer = consumer;
        InitialPending = initialPending;
    }

    /// <summary>Entries the initial replay will deliver (0: the bucket/filter was empty).</summary>
    public ulong InitialPending { get; }

    public static async ValueTask<KvWatcher> StartAsync(NatsConnection connection, NatsKvStore store, string keyFilter, KvWatchOpts opts, CancellationToken cancellationToken)
    {
        var inbox = connection.NewInbox();
        var subscription = await connection.SubscribeAsync(inbox, cancellationToken: cancellationToken);
        try
        {
            var config = new JsonObject
            {
                ["deliver_subject"] = inbox,
                ["deliver_policy"] = opts.UpdatesOnly ? "new" : "last_per_subject",
                ["ack_policy"] = "none",
                ["replay_policy"] = "instant",
                ["filter_subject"] = store.KeySubject(keyFilter),
                ["headers_only"] = opts.MetaOnly,
                ["mem_storage"] = true,
                ["num_replicas"] = 1,
                ["inactive_threshold"] = JetStreamApi.Nanoseconds(TimeSpan.FromMinutes(1)),
            };
            var info = await JetStreamApi.RequestAsync(
                connection,
                $"CONSUMER.CREATE.{store.Stream}",
                new JsonObject { ["stream_name"] = store.Stream, ["config"] = config },
                cancellationToken);
            var name = (string?)info["name"] ?? throw new NatsException("consumer create reply without name");
            return new KvWatcher(connection, store, subscription, name, (ulong?)info["num_pending"] ?? 0);
        }
        catch
        {
            await subscription.DisposeAsync();
            throw;
        }
    }

    public async IAsyncEnumerator<KvEntry> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var msg in _subscription.WithCancellation(cancellationToken))
        {
            if (msg.Headers is { Code: >= 100 and < 200 }) continue; // idle heartbeat / flow control
            if (_store.ToEntry(msg) is { } entry) yield return entry;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _subscription.DisposeAsync();
        if (_connection.ConnectionState != NatsConnectionState.Open) return;
        try
        {
            await JetStreamApi.RequestAsync(_connection, $"CONSUMER.DELETE.{_store.Stream}.{_consumer}", null, CancellationToken.None);
        }
        catch (NatsException)
        {
            // Best effort: the inactivity threshold cleans up anyway.
        }
    }
}
