namespace Portal.Host.Engine;

/// <summary>What the engine reports: guest failures, guest output and sidecar lifecycle.</summary>
public enum ActorEventKind
{
    Trap,
    Timeout,
    MemoryLimit,
    GuestOutput,
    Warning,
    SidecarStarted,
    SidecarExited,

    /// <summary>A wasi:logging call: <see cref="ActorEngineEvent.GuestLevel"/> and <see cref="ActorEngineEvent.Context"/> are set.</summary>
    GuestLog,
}

/// <summary>One engine event; <see cref="ComponentId"/> is empty for sidecar-wide events.</summary>
public sealed record ActorEngineEvent(ActorEventKind Kind, string ComponentId, string Message, DateTimeOffset At)
{
    /// <summary>For <see cref="ActorEventKind.GuestLog"/>: the level the guest logged at.</summary>
    public Microsoft.Extensions.Logging.LogLevel? GuestLevel { get; init; }

    /// <summary>For <see cref="ActorEventKind.GuestLog"/>: the guest's context string (may be empty).</summary>
    public string? Context { get; init; }
}
