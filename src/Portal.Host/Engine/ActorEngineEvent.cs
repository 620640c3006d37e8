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
}

/// <summary>One engine event; <see cref="ComponentId"/> is empty for sidecar-wide events.</summary>
public sealed record ActorEngineEvent(ActorEventKind Kind, string ComponentId, string Message, DateTimeOffset At);
