using System.Text.Json.Nodes;

namespace Portal.Lattice.Nats.KeyValue;

/// <summary>
/// An ephemeral push consumer on the bucket's stream delivering to a private inbox (no acks).
/// After a reconnect it makes a fresh consumer starting just after the last revision seen (the old
/// one may be gone, e.g. when the server itself restarted) and drops duplicates by revision, so a
/// watch survives server restarts. Disposing it unsubscribes and deletes the consumer; if we
/// vanish, the server removes it after its inactivity threshold.
/// </summary>
internal sealed class KvWatcher : IAsyncEnumerable<KvEntry>, IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly NatsKvStore _store;
    private readonly NatsSubscription _subscription;
    private readonly string _keyFilter;
    private readonly KvWatchOpts _opts;
    private readonly object _gate = new();
    private string _consumer = "";
    private ulong _lastRevision;
    private bool _disposed;

    private KvWatcher(NatsConnection connection, NatsKvStore store, NatsSubscription subscription, string keyFilter, KvWatchOpts opts)
    {
        _connection = connection;
        _store = store;
        _subscription = subscription;
        _keyFilter = keyFilter;
        _opts = opts;
    }

    /// <summary>Entries the initial replay will deliver (0: the bucket/filter was empty).</summary>
    public ulong InitialPending { get; private set; }

    public static async ValueTask<KvWatcher> StartAsync(NatsConnection connection, NatsKvStore store, string keyFilter, KvWatchOpts opts, CancellationToken cancellationToken)
    {
        var subscription = await connection.SubscribeAsync(connection.NewInbox(), cancellationToken: cancellationToken);
        var watcher = new KvWatcher(connection, store, subscription, keyFilter, opts);
        try
        {
            var (name, pending) = await watcher.CreateConsumerAsync(startAfter: 0, cancellationToken);
            watcher._consumer = name;
            watcher.InitialPending = pending;
            connection.ConnectionStateChanged += watcher.OnConnectionStateChanged;
            return watcher;
        }
        catch
        {
            await subscription.DisposeAsync();
            throw;
        }
    }

    private async Task<(string Name, ulong Pending)> CreateConsumerAsync(ulong startAfter, CancellationToken cancellationToken)
    {
        var config = new JsonObject
        {
            ["deliver_subject"] = _subscription.Subject,
            ["ack_policy"] = "none",
            ["replay_policy"] = "instant",
            ["filter_subject"] = _store.KeySubject(_keyFilter),
            ["headers_only"] = _opts.MetaOnly,
            ["mem_storage"] = true,
            ["num_replicas"] = 1,
            ["inactive_threshold"] = JetStreamApi.Nanoseconds(TimeSpan.FromMinutes(1)),
        };
        if (startAfter > 0)
        {
            config["deliver_policy"] = "by_start_sequence";
            config["opt_start_seq"] = startAfter + 1;
        }
        else
        {
            config["deliver_policy"] = _opts.UpdatesOnly ? "new" : "last_per_subject";
        }

        var info = await JetStreamApi.RequestAsync(
            _connection,
            $"CONSUMER.CREATE.{_store.Stream}",
            new JsonObject { ["stream_name"] = _store.Stream, ["config"] = config },
            cancellationToken);
        return ((string?)info["name"] ?? throw new NatsException("consumer create reply without name"), (ulong?)info["num_pending"] ?? 0);
    }

    private void OnConnectionStateChanged(object? sender, NatsConnectionStateChangedEventArgs e)
    {
        if (e.Previous != NatsConnectionState.Reconnecting || e.Current != NatsConnectionState.Open) return;
        _ = Task.Run(ResumeAsync);
    }

    private async Task ResumeAsync()
    {
        string old;
        ulong after;
        lock (_gate)
        {
            if (_disposed) return;
            old = _consumer;
            after = _lastRevision;
        }

        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                // Right after a server restart JetStream may need a moment before it answers.
                var (name, _) = await CreateConsumerAsync(after, CancellationToken.None);
                lock (_gate) _consumer = name;
                await DeleteConsumerAsync(old);
                return;
            }
            catch (NatsException) when (attempt < 19)
            {
                await Task.Delay(250);
            }
            catch (Exception e) when (e is NatsException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public async IAsyncEnumerator<KvEntry> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var msg in _subscription.WithCancellation(cancellationToken))
        {
            if (msg.Headers is { Code: >= 100 and < 200 }) continue; // idle heartbeat / flow control
            if (_store.ToEntry(msg) is not { } entry) continue;
            lock (_gate)
            {
                // A resumed consumer may repeat what the previous one already delivered.
                if (entry.Revision != 0 && entry.Revision <= _lastRevision) continue;
                _lastRevision = Math.Max(_lastRevision, entry.Revision);
            }

            yield return entry;
        }
    }

    private async Task DeleteConsumerAsync(string name)
    {
        if (_connection.ConnectionState != NatsConnectionState.Open) return;
        try
        {
            await JetStreamApi.RequestAsync(_connection, $"CONSUMER.DELETE.{_store.Stream}.{name}", null, CancellationToken.None);
        }
        catch (NatsException)
        {
            // Best effort: gone already, or the inactivity threshold cleans up.
        }
    }

    public async ValueTask DisposeAsync()
    {
        string consumer;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            consumer = _consumer;
        }

        _connection.ConnectionStateChanged -= OnConnectionStateChanged;
        await _subscription.DisposeAsync();
        await DeleteConsumerAsync(consumer);
    }
}
