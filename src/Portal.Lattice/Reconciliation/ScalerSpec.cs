namespace Portal.Lattice.Reconciliation;

/// <summary>
/// What wadm's convert.rs makes of a manifest, one record per scaler (protocol notes 4.4), and the
/// scaler's algorithm as a pure function of <see cref="LatticeState"/> (4.5). Records are plain
/// data: the manifest model builds them, the reconciler runs them, tests construct them directly.
/// </summary>
public abstract record ScalerSpec
{
    /// <summary>The application (manifest name) the scaler belongs to.</summary>
    public required string AppName { get; init; }

    /// <summary>
    /// Config and secret scalers this scaler depends on. They are reconciled first, and while they
    /// still have commands this scaler sends none (its component would start without its config).
    /// </summary>
    public IReadOnlyList<ScalerSpec> Configs { get; init; } = [];

    /// <summary>wadm's kind: SpreadScaler, DaemonScaler, LinkScaler, ConfigScaler, SecretScaler.</summary>
    public abstract string Kind { get; }

    /// <summary>wadm's scaler id (4.4); equal inputs give equal ids.</summary>
    public string Id => ComputeId();

    /// <summary>The name wadm shows in a status (component/provider id, link arrow, config name).</summary>
    public abstract string Name { get; }

    /// <summary>The commands that move the lattice toward this scaler's wish, and its status.</summary>
    public abstract ScalerResult Reconcile(LatticeState state);

    /// <summary>The commands that remove what this scaler owns (reconcile with 0 instances, delete its link or config).</summary>
    public abstract ScalerResult Cleanup(LatticeState state);

    protected abstract string ComputeId();
}
