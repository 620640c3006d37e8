namespace Portal.Host.Configuration;

/// <summary>Everything a host is started with; <see cref="HostCommandLine"/> fills it from flags and environment.</summary>
public sealed record HostOptions
{
    public string NatsHost { get; init; } = "127.0.0.1";

    public int NatsPort { get; init; } = 4222;

    public string? NatsUser { get; init; }

    public string? NatsPassword { get; init; }

    public string? NatsToken { get; init; }

    public string Lattice { get; init; } = "default";

    /// <summary>Null: the default <c>wasmbus.ctl</c>.</summary>
    public string? CtlTopicPrefix { get; init; }

    public string? HostSeed { get; init; }

    /// <summary>User labels (hostcore.* are added by the host and cannot be set here).</summary>
    public Dictionary<string, string> Labels { get; init; } = [];

    public bool AllowFileLoad { get; init; }

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the host publishes its invocation counts (<c>component_invocations</c>, ours).</summary>
    public TimeSpan MetricsInterval { get; init; } = TimeSpan.FromSeconds(15);

    public bool ComponentAuction { get; init; } = true;

    public bool ProviderAuction { get; init; } = true;

    /// <summary>Per-instance memory cap of components (wasmCloud's --max-linear-memory-bytes).</summary>
    public long MaxLinearMemoryBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Per-request time limit of components (wasmCloud's --max-execution-time-ms).</summary>
    public TimeSpan MaxExecutionTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bearer token for plain http(s) artifact URLs (the portal's artifact content endpoint), unless registry.put gave credentials for that host.</summary>
    public string? ArtifactToken { get; init; }

    /// <summary>
    /// The registry <see cref="OciUser"/> and <see cref="OciPassword"/> are for (wasmCloud's
    /// --oci-registry, <c>host[:port]</c>); null: they are sent to every registry.
    /// </summary>
    public string? OciRegistry { get; init; }

    /// <summary>Registry credentials (wasmCloud's --oci-user / --oci-password); for the portal, a host credential's NATS user and password.</summary>
    public string? OciUser { get; init; }

    public string? OciPassword { get; init; }

    /// <summary>
    /// Registries (<c>host[:port]</c>) reached over plain HTTP (wasmCloud's --allowed-insecure).
    /// Loopback registries (localhost, 127.0.0.1, [::1]) are always reached over plain HTTP.
    /// </summary>
    public IReadOnlyList<string> AllowedInsecure { get; init; } = [];

    /// <summary>Whether refs that pull <c>latest</c> (explicitly or by omitting the tag) are allowed (wasmCloud's --allow-latest).</summary>
    public bool AllowLatest { get; init; }

    /// <summary>How many bytes of pulled wasm the host keeps in memory by digest, so a scale or restart of the same image does not pull again.</summary>
    public long ImageCacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Engine worker threads in the sidecar; null = the engine's default.</summary>
    public int? EngineWorkers { get; init; }

    /// <summary>How long loading one component may take (the first jco transpile of a large component is the slow part).</summary>
    public TimeSpan ComponentLoadTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Delay before the first provider health check and between later ones (2.3: 5 s, then 30 s).</summary>
    public TimeSpan FirstHealthCheck { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    public string NatsUrl => $"nats://{NatsHost}:{NatsPort}";
}
