using System.Threading.Channels;

namespace Portal.Lattice.Nats;

/// <summary>
/// A subscription: read it with <c>await foreach</c> (or <see cref="Msgs"/>), dispose it to unsubscribe.
/// Messages are buffered up to <see cref="NatsOpts.SubscriptionCapacity"/>; beyond that they are dropped
/// and counted (the reader of the socket never waits for a slow consumer).
/// </summary>
public sealed class NatsSubscription : IAsyncEnumerable<NatsMsg>, IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly Channel<NatsMsg> _channel;
    private long _dropped;
    private int _closed;

    internal NatsSubscription(NatsConnection connection, int sid, string subject, string? queueGroup, int capacity)
    {
        _connection = connection;
        Sid = sid;
        Subject = subject;
        QueueGroup = queueGroup;
        _channel = Channel.CreateBounded<NatsMsg>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Sid { get; }

    public string Subject { get; }

    public string? QueueGroup { get; }

    public ChannelReader<NatsMsg> Msgs => _channel.Reader;

    /// <summary>Messages dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Deliver(in NatsMsg msg)
    {
        if (!_channel.Writer.TryWrite(msg)) Interlocked.Increment(ref _dropped);
    }

    /// <summary>Ends the message stream; buffered messages can still be read.</summary>
    internal void Complete(Exception? error = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0) _channel.Writer.TryComplete(error);
    }

    public ValueTask UnsubscribeAsync() => _connection.UnsubscribeAsync(this);

    public ValueTask DisposeAsync() => UnsubscribeAsync();

    public IAsyncEnumerator<NatsMsg> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _channel.Reader.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
}
