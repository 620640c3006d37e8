namespace Portal.Lattice.Nats;

/// <summary>How long and how much <see cref="NatsConnection.RequestManyAsync"/> gathers.</summary>
public sealed record NatsRequestManyOpts
{
    /// <summary>The whole gathering window; defaults to <see cref="NatsOpts.RequestTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Stop when no reply arrived for this long since the previous one (or since the start).</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Stop after this many replies.</summary>
    public int? MaxMsgs { get; init; }

    /// <summary>Stop at a reply with an empty payload (the sentinel convention of NATS services and wasmCloud).</summary>
    public bool StopOnEmptyPayload { get; init; }
}
