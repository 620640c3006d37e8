using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Portal.Lattice.Nats.KeyValue;

/// <summary>
/// One bucket. Writes are JetStream publishes to $KV.{bucket}.{key} (acknowledged with the new
/// revision); reads use direct get; deletes and purges are marker messages carrying KV-Operation.
/// </summary>
public sealed class NatsKvStore
{
    private const string OperationHeader = "KV-Operation";
    private readonly NatsConnection _connection;
    private readonly string _subjectPrefix;

    internal NatsKvStore(NatsConnection connection, string bucket)
    {
        _connection = connection;
        Bucket = bucket;
        Stream = $"KV_{bucket}";
        _subjectPrefix = $"$KV.{bucket}.";
    }

    public string Bucket { get; }

    public string Stream { get; }

    /// <summary>Stores <paramref name="value"/>; returns its revision (the stream sequence).</summary>
    public ValueTask<ulong> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        PublishAsync(key, value, null, cancellationToken);

    /// <summary>Marks the key deleted (history kept).</summary>
    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        await PublishAsync(key, default, new NatsHeaders().Add(OperationHeader, "DEL"), cancellationToken);

    /// <summary>Deletes the key and its history (a rollup keeps only the purge marker).</summary>
    public async ValueTask PurgeAsync(string key, CancellationToken cancellationToken = default) =>
        await PublishAsync(key, default, new NatsHeaders().Add(OperationHeader, "PURGE").Add("Nats-Rollup", "sub"), cancellationToken);

    private async ValueTask<ulong> PublishAsync(string key, ReadOnlyMemory<byte> value, NatsHeaders? headers, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        var reply = await _connection.RequestAsync(_subjectPrefix + key, value, headers, cancellationToken: cancellationToken);
        var ack = JsonNode.Parse(reply.Data.Span) as JsonObject ?? throw new NatsException("bad JetStream publish ack");
        JetStreamApi.ThrowIfError(ack);
        return (ulong?)ack["seq"] ?? throw new NatsException("JetStream publish ack without seq");
    }

    /// <summary>The current value, or null when the key does not exist or was deleted.</summary>
    public async ValueTask<KvEntry?> GetEntryAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var reply = await _connection.RequestAsync($"{JetStreamApi.Prefix}DIRECT.GET.{Stream}.{_subjectPrefix}{key}", cancellationToken: cancellationToken);
        if (reply.Headers is { Code: 404 }) return null;
        if (reply.Headers is null || reply.Headers.Code >= 400)
            throw new NatsException($"direct get of '{key}' failed: {reply.Headers?.Code} {reply.Headers?.Description}");
        var entry = new KvEntry(
            Bucket,
            key,
            reply.Data,
            ulong.Parse(reply.Headers["Nats-Sequence"] ?? "0", CultureInfo.InvariantCulture),
            DateTimeOffset.TryParse(reply.Headers["Nats-Time-Stamp"], CultureInfo.InvariantCulture, out var created) ? created : default,
            ParseOperation(reply.Headers));
        return entry.Operation == KvOperation.Put ? entry : null;
    }

    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        (await GetEntryAsync(key, cancellationToken))?.Value;

    /// <summary>Every key with a current value.</summary>
    public async ValueTask<IReadOnlyList<string>> GetKeysAsync(CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        await foreach (var entry in ReplayAsync(">", headersOnly: true, cancellationToken))
        {
            if (entry.Operation == KvOperation.Put) keys.Add(entry.Key);
        }

        return keys;
    }

    /// <summary>Current values of every key (deleted ones skipped), then stops.</summary>
    public async IAsyncEnumerable<KvEntry> GetAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entry in ReplayAsync(">", headersOnly: false, cancellationToken))
        {
            if (entry.Operation == KvOperation.Put) yield return entry;
        }
    }

    private async IAsyncEnumerable<KvEntry> ReplayAsync(string keyFilter, bool headersOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var watch = await KvWatcher.StartAsync(_connection, this, keyFilter, new KvWatchOpts { MetaOnly = headersOnly }, cancellationToken);
        if (watch.InitialPending == 0) yield break;
        await foreach (var entry in watch.WithCancellation(cancellationToken))
        {
            yield return entry;
            if (entry.Delta == 0) yield break;
        }
    }

    /// <summary>
    /// Current values (unless <see cref="KvWatchOpts.UpdatesOnly"/>) then every change, until the
    /// enumeration is cancelled or abandoned. Deletes and purges arrive as entries with that operation.
    /// </summary>
    public async IAsyncEnumerable<KvEntry> WatchAsync(string keyFilter = ">", KvWatchOpts? opts = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var watch = await KvWatcher.StartAsync(_connection, this, keyFilter, opts ?? new KvWatchOpts(), cancellationToken);
        await foreach (var entry in watch.WithCancellation(cancellationToken)) yield return entry;
    }

    internal KvEntry? ToEntry(in NatsMsg msg)
    {
        if (!msg.Subject.StartsWith(_subjectPrefix, StringComparison.Ordinal)) return null;
        var key = msg.Subject[_subjectPrefix.Length..];
        var meta = AckMetadata.Parse(msg.ReplyTo);
        return new KvEntry(Bucket, key, msg.Data, meta.StreamSequence, meta.Timestamp, ParseOperation(msg.Headers), meta.Pending);
    }

    private static KvOperation ParseOperation(NatsHeaders? headers) =>
        headers?[OperationHeader] switch
        {
            "DEL" => KvOperation.Delete,
            "PURGE" => KvOperation.Purge,
            _ => KvOperation.Put,
        };

    internal string KeySubject(string keyFilter) => _subjectPrefix + keyFilter;

    public static void ValidateBucket(string bucket)
    {
        if (string.IsNullOrEmpty(bucket) || !bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw new ArgumentException($"invalid bucket name '{bucket}'", nameof(bucket));
    }

    public static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key[0] == '.' || key[^1] == '.' || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or '_' or '=' or '.'))
            throw new ArgumentException($"invalid key '{key}'", nameof(key));
    }
}
