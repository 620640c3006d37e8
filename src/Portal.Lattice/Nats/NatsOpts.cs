namespace Portal.Lattice.Nats;

/// <summary>Connection settings. Defaults follow the NATS clients' conventions and the wasmCloud control-interface timeouts.</summary>
public sealed record NatsOpts
{
    public static NatsOpts Default { get; } = new();

    /// <summary>nats://host:port; credentials in the URL (nats://user:pass@host or nats://token@host) are honoured.</summary>
    public string Url { get; init; } = "nats://127.0.0.1:4222";

    /// <summary>Client name shown by the server's monitoring endpoints.</summary>
    public string Name { get; init; } = "portal";

    public string? User { get; init; }

    public string? Password { get; init; }

    public string? Token { get; init; }

    /// <summary>Default for <see cref="NatsConnection.RequestAsync"/> when no timeout is given (control interface: 2 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait before a reconnect attempt; doubled per failed attempt up to <see cref="ReconnectWaitMax"/>.</summary>
    public TimeSpan ReconnectWaitMin { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectWaitMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Random extra wait per attempt so that many clients do not reconnect in lockstep.</summary>
    public TimeSpan ReconnectJitter { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Attempts before giving up and closing; negative means forever.</summary>
    public int MaxReconnectRetry { get; init; } = -1;

    /// <summary>Client PING interval used to notice a dead peer that never closed the socket.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Unanswered PINGs after which the connection counts as dead.</summary>
    public int MaxPingOut { get; init; } = 2;

    /// <summary>Messages a subscription buffers before it drops (slow consumer).</summary>
    public int SubscriptionCapacity { get; init; } = 65_536;

    /// <summary>Outbound bytes buffered (also while reconnecting) before publishers wait.</summary>
    public int WriterBufferSize { get; init; } = 8 * 1024 * 1024;

    public string InboxPrefix { get; init; } = "_INBOX";
}
