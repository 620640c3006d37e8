namespace Portal.Lattice.Control;

/// <summary>
/// Ours, not wasmCloud's: what portal-host publishes on <c>wasmbus.evt.{lattice}.component_invocations</c>
/// (a CloudEvent like the lattice's own events, source = host id) every metrics interval. The counts
/// are cumulative since the host process started (<see cref="BootId"/>), so a lost report is made
/// good by the next one, and a duplicate or late one carries nothing new: a reader keeps, per host
/// and boot, the highest <see cref="Sequence"/> it has counted and adds only the difference.
/// </summary>
public sealed record InvocationMetricsEvent
{
    public const string EventName = "component_invocations";

    public required string HostId { get; init; }

    /// <summary>A fresh id at every host start; counters start at zero under it.</summary>
    public required string BootId { get; init; }

    /// <summary>1, 2, 3, ... per boot; a reader skips any report not above the last one it counted.</summary>
    public long Sequence { get; init; }

    /// <summary>When the host started counting (the boot) and when it read these counters.</summary>
    public DateTimeOffset CountingSince { get; init; }

    public DateTimeOffset ReadAt { get; init; }

    /// <summary>Per component id: requests the engine ran for it since the boot, by outcome.</summary>
    public IReadOnlyDictionary<string, InvocationCounts> Components { get; init; } = new Dictionary<string, InvocationCounts>();
}

/// <summary>Cumulative counts of one component: answered by the actor (any HTTP status) / failed in the engine (trap, timeout, memory, ...).</summary>
public sealed record InvocationCounts(long Ok, long Error)
{
    public long Total => Ok + Error;
}
