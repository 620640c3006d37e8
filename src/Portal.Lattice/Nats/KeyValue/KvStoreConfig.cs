namespace Portal.Lattice.Nats.KeyValue;

/// <summary>A key-value bucket: the JetStream stream KV_{Bucket} over subjects $KV.{Bucket}.&gt;.</summary>
public sealed record KvStoreConfig(string Bucket)
{
    /// <summary>Revisions kept per key (stream max_msgs_per_subject); 1..64.</summary>
    public int History { get; init; } = 1;

    /// <summary>Age after which values expire; zero keeps them forever.</summary>
    public TimeSpan MaxAge { get; init; }

    /// <summary>Memory storage instead of file storage.</summary>
    public bool InMemory { get; init; }

    public string? Description { get; init; }
}

public enum KvOperation
{
    Put,
    Delete,
    Purge,
}

/// <summary>One revision of a key. <see cref="Delta"/> counts the entries still to come in a watch's initial replay.</summary>
public sealed record KvEntry(string Bucket, string Key, ReadOnlyMemory<byte> Value, ulong Revision, DateTimeOffset Created, KvOperation Operation, ulong Delta = 0);

public sealed record KvWatchOpts
{
    /// <summary>Skip the current values and report only changes made after the watch started.</summary>
    public bool UpdatesOnly { get; init; }

    /// <summary>Deliver headers only (values empty): enough to track keys cheaply.</summary>
    public bool MetaOnly { get; init; }
}

/// <summary>A JetStream API error ({"error":{"code":..,"err_code":..,"description":..}}).</summary>
public sealed class NatsJetStreamException(int code, int errorCode, string description)
    : NatsException($"JetStream error {code}/{errorCode}: {description}")
{
    public const int StreamNotFound = 10059;
    public const int StreamNameInUse = 10058;
    public const int WrongLastSequence = 10071;

    public int Code { get; } = code;

    public int ErrorCode { get; } = errorCode;

    public string Description { get; } = description;
}

/// <summary>A compare-and-set write found another revision than it expected: someone wrote the key meanwhile.</summary>
public sealed class NatsKvWrongRevisionException(string bucket, string key, NatsJetStreamException inner)
    : NatsException($"key '{key}' of bucket {bucket} changed meanwhile ({inner.Description})", inner)
{
    public string Key { get; } = key;
}
