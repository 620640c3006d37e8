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

    /// <summary>JetStream refuses a publish whose expected last subject sequence is not the current one.</summary>
    private const string ExpectedRevisionHeader = "Nats-Expected-Last-Subject-Sequence";
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

    /// <summary>
    /// Compare-and-set: stores <paramref name="value"/> only if the key's latest revision is still
    /// <paramref name="expectedRevision"/>; otherwise throws <see cref="NatsKvWrongRevisionException"/>
    /// and nothing is written. This is how read-modify-write callers avoid losing a concurrent write.
    /// </summary>
    public ValueTask<ulong> UpdateAsync(string key, ReadOnlyMemory<byte> value, ulong expectedRevision, CancellationToken cancellationToken = default) =>
        PublishAsync(key, value, new NatsHeaders().Add(ExpectedRevisionHeader, expectedRevision.ToString(CultureInfo.InvariantCulture)), cancellationToken);

    /// <summary>
    /// Stores <paramref name="value"/> only if the key has no current value (never written, deleted or
    /// purged); otherwise throws <see cref="NatsKvWrongRevisionException"/>.
    /// </summary>
    public async ValueTask<ulong> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        try
        {
            return await UpdateAsync(key, value, 0, cancellationToken);
        }
        catch (NatsKvWrongRevisionException)
        {
            // A delete or purge marker is the key's last message: creating means building on it.
            var latest = await GetLatestAsync(key, cancellationToken);
            if (latest is null || latest.Operation == KvOperation.Put) throw;
            return await UpdateAsync(key, value, latest.Revision, cancellationToken);
        }
    }

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
        try
        {
            JetStreamApi.ThrowIfError(ack);
        }
        catch (NatsJetStreamException e) when (e.ErrorCode == NatsJetStreamException.WrongLastSequence)
        {
            throw new NatsKvWrongRevisionException(Bucket, key, e);
        }

        return (ulong?)ack["seq"] ?? throw new NatsException("JetStream publish ack without seq");
    }

    /// <summary>The current value, or null when the key does not exist or was deleted.</summary>
    public async ValueTask<KvEntry?> GetEntryAsync(string key, CancellationToken cancellationToken = default) =>
        await GetLatestAsync(key, cancellationToken) is { Operation: KvOperation.Put } entry ? entry : null;

    /// <summary>The key's last message, delete and purge markers included (their revision is what a create must expect).</summary>
    private async ValueTask<KvEntry?> GetLatestAsync(string key, CancellationToken cancellationToken)
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
        return entry;
    }

    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        (await GetEntryAsync(key, cancellationToken))?.Value;

    /// <summary>Every key with a current value, or those matching <paramref name="keyFilter"/> (subject wildcards: <c>orders.*</c>, <c>orders.&gt;</c>).</summary>
    public async ValueTask<IReadOnlyList<string>> GetKeysAsync(string keyFilter = ">", CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        await foreach (var entry in ReplayAsync(keyFilter, headersOnly: true, cancellationToken))
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
