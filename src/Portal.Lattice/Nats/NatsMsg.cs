namespace Portal.Lattice.Nats;

/// <summary>A received message. <see cref="Data"/> is owned by the message (copied out of the read buffer).</summary>
public readonly record struct NatsMsg(string Subject, string? ReplyTo, NatsHeaders? Headers, ReadOnlyMemory<byte> Data)
{
    /// <summary>The connection it arrived on, so a handler can answer with <see cref="ReplyAsync"/>.</summary>
    public NatsConnection? Connection { get; init; }

    /// <summary>Status 503 with no payload: the server's "no responders" notice for a request.</summary>
    public bool IsNoResponders => Headers is { Code: 503 } && Data.IsEmpty;

    public ValueTask ReplyAsync(ReadOnlyMemory<byte> data, NatsHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        if (ReplyTo is null) throw new InvalidOperationException($"message on '{Subject}' has no reply subject");
        if (Connection is null) throw new InvalidOperationException("message is not bound to a connection");
        return Connection.PublishAsync(ReplyTo, data, headers, cancellationToken: cancellationToken);
    }
}
