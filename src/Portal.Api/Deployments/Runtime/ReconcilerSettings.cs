using Portal.Lattice.Observation;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Deployments.Runtime;

/// <summary>The reconciler's settings, bound from <c>Portal:Reconciler</c> (environment: <c>Portal__Reconciler__Key</c>).</summary>
public sealed class ReconcilerSettings
{
    public const string Section = "Portal:Reconciler";

    /// <summary>Off: this replica never competes for the lock (plan and observers still work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A pass runs at least this often per lattice even when nothing changes.</summary>
    public TimeSpan PassInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Commands in flight at once within a pass.</summary>
    public int MaxInFlight { get; set; } = 16;

    /// <summary>Status writes in parallel per lattice (each app's newest status; one app never twice at once).</summary>
    public int StatusWriters { get; set; } = 4;

    /// <summary>How often a replica without the leader lock tries to take it, and how often the leader checks its lock connection.</summary>
    public TimeSpan LeaderRetry { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the leader re-reads which lattices have deployments (a NOTIFY also triggers it).</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>wadm's backoff waits: how long a scaler waits for its component/link/provider event, and how long a failure holds.</summary>
    public TimeSpan ComponentEventTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan LinkEventTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ProviderEventTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan FailureHold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A host silent this long is reaped from the observed lattice (wadm: 70 s, a few missed heartbeats).</summary>
    public TimeSpan ReapAfter { get; set; } = TimeSpan.FromSeconds(70);

    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a new observer waits for hosts' inventories before it reports its first snapshot.</summary>
    public TimeSpan SeedWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>An observer nobody reconciles and nobody asked for this long is closed.</summary>
    public TimeSpan ObserverIdle { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The control-interface request timeout of the reconciler's lattice clients.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public ReconcilerOptions ToReconcilerOptions(TimeProvider clock) => new()
    {
        PassInterval = PassInterval,
        MaxInFlight = MaxInFlight,
        Clock = clock,
        Backoff = new BackoffTimings { Component = ComponentEventTimeout, Link = LinkEventTimeout, Provider = ProviderEventTimeout, FailureHold = FailureHold },
    };

    public LatticeObserverOptions ToObserverOptions(string lattice, TimeProvider clock) => new()
    {
        Lattice = lattice, SeedWindow = SeedWindow, ReapAfter = ReapAfter, ReapInterval = ReapInterval, RequestTimeout = RequestTimeout, Clock = clock,
    };
}
