namespace Portal.Host.Engine;

/// <summary>How the engine finds and runs its Node.js sidecar.</summary>
public sealed record ActorEngineOptions
{
    /// <summary>Node executable; PORTAL_HOST_NODE or "node" on PATH.</summary>
    public string NodePath { get; init; } = Environment.GetEnvironmentVariable("PORTAL_HOST_NODE") ?? "node";

    /// <summary>
    /// Directory holding sidecar.mjs and its node_modules. Null: PORTAL_HOST_SIDECAR_DIR, else found
    /// by <see cref="Sidecar.SidecarLocator"/> (see there for why it is the source tree).
    /// </summary>
    public string? SidecarDirectory { get; init; }

    /// <summary>Worker threads in the sidecar, i.e. executions that can run at the same time.</summary>
    public int Workers { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Where jco's transpiled components are cached by digest; default under the OS temp dir.</summary>
    public string CacheDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "portal-host-jco-cache");

    /// <summary>First delay before restarting a dead sidecar; doubles up to <see cref="MaxRestartDelay"/>.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a load (jco transpile of a big component takes ~15 s) may take.</summary>
    public TimeSpan LoadTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Upper bound of one host call (a wasi:keyvalue operation). The guest's own time limit stops
    /// the guest sooner; this only keeps a call the guest no longer waits for from lingering.
    /// </summary>
    public TimeSpan HostCallTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
