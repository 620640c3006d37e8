using System.Text.Json.Nodes;

namespace Portal.Lattice.Nats.KeyValue;

/// <summary>Key-value buckets over JetStream, compatible with the NATS clients' KV layout (what wasmCloud hosts use).</summary>
public sealed class NatsKeyValue(NatsConnection connection)
{
    public NatsConnection Connection { get; } = connection;

    /// <summary>Binds to the bucket if it exists, else creates it with <paramref name="config"/>.</summary>
    public async ValueTask<NatsKvStore> CreateOrBindAsync(KvStoreConfig config, CancellationToken cancellationToken = default)
    {
        NatsKvStore.ValidateBucket(config.Bucket);
        try
        {
            return await BindAsync(config.Bucket, cancellationToken);
        }
        catch (NatsJetStreamException e) when (e.ErrorCode == NatsJetStreamException.StreamNotFound)
        {
        }

        try
        {
            await JetStreamApi.RequestAsync(Connection, $"STREAM.CREATE.KV_{config.Bucket}", StreamConfig(config), cancellationToken);
        }
        catch (NatsJetStreamException e) when (e.ErrorCode == NatsJetStreamException.StreamNameInUse)
        {
            // Someone else created it meanwhile (another host): use theirs.
        }

        return new NatsKvStore(Connection, config.Bucket);
    }

    /// <summary>Binds to an existing bucket; throws <see cref="NatsJetStreamException"/> (stream not found) otherwise.</summary>
    public async ValueTask<NatsKvStore> BindAsync(string bucket, CancellationToken cancellationToken = default)
    {
        NatsKvStore.ValidateBucket(bucket);
        await JetStreamApi.RequestAsync(Connection, $"STREAM.INFO.KV_{bucket}", null, cancellationToken);
        return new NatsKvStore(Connection, bucket);
    }

    public async ValueTask DeleteBucketAsync(string bucket, CancellationToken cancellationToken = default) =>
        await JetStreamApi.RequestAsync(Connection, $"STREAM.DELETE.KV_{bucket}", null, cancellationToken);

    /// <summary>The stream settings the reference clients use for a bucket: rollups allowed, deletes via markers, direct get on.</summary>
    private static JsonObject StreamConfig(KvStoreConfig config)
    {
        if (config.History is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(config), "history must be 1..64");
        var stream = new JsonObject
        {
            ["name"] = $"KV_{config.Bucket}",
            ["subjects"] = new JsonArray($"$KV.{config.Bucket}.>"),
            ["retention"] = "limits",
            ["max_consumers"] = -1,
            ["max_msgs_per_subject"] = config.History,
            ["max_msgs"] = -1,
            ["max_bytes"] = -1,
            ["max_age"] = JetStreamApi.Nanoseconds(config.MaxAge),
            ["max_msg_size"] = -1,
            ["storage"] = config.InMemory ? "memory" : "file",
            ["discard"] = "new",
            ["num_replicas"] = 1,
            ["duplicate_window"] = JetStreamApi.Nanoseconds(config.MaxAge > TimeSpan.Zero && config.MaxAge < TimeSpan.FromMinutes(2) ? config.MaxAge : TimeSpan.FromMinutes(2)),
            ["allow_rollup_hdrs"] = true,
            ["deny_delete"] = true,
            ["deny_purge"] = false,
            ["allow_direct"] = true,
            ["mirror_direct"] = false,
        };
        if (config.Description is not null) stream["description"] = config.Description;
        return stream;
    }
}
