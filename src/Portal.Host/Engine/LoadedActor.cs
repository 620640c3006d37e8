namespace Portal.Host.Engine;

/// <summary>What the engine keeps per component: enough to load it again into a restarted sidecar.</summary>
internal sealed class LoadedActor(
    string componentId,
    ActorKind kind,
    ReadOnlyMemory<byte> wasm,
    ActorLimits limits,
    IReadOnlyList<KeyValuePair<string, string>> config)
{
    private int _executing;
    private int _peak;

    public string ComponentId { get; } = componentId;
    public ActorKind Kind { get; } = kind;
    public ReadOnlyMemory<byte> Wasm { get; } = wasm;
    public ActorLimits Limits { get; } = limits;
    public IReadOnlyList<KeyValuePair<string, string>> Config { get; } = config;
    public string Digest { get; set; } = "";

    /// <summary>max_instances: one slot per allowed concurrent execution.</summary>
    public SemaphoreSlim Slots { get; } = new(limits.MaxInstances, limits.MaxInstances);

    public int Executing => Volatile.Read(ref _executing);
    public int PeakExecuting => Volatile.Read(ref _peak);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _executing);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }
    }

    public void Leave() => Interlocked.Decrement(ref _executing);
}
