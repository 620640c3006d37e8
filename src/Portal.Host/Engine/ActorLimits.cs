namespace Portal.Host.Engine;

/// <summary>Per-component limits and grants, fixed at load time.</summary>
public sealed record ActorLimits
{
    /// <summary>Cap on one instance's linear memory; a module asking for more at start is refused at load.</summary>
    public long MemoryBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Wall-clock limit of one request; past it the executing worker is terminated and 500 answered.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Concurrent executions of this component on this host (wasmCloud's max_instances, wire
    /// <c>count</c>). Requests beyond it queue in the host until a slot frees or the caller cancels.
    /// </summary>
    public int MaxInstances { get; init; } = 1;

    /// <summary>When true the component's config also becomes environment variables of the guest.</summary>
    public bool ConfigAsEnvironment { get; init; }
}
