namespace Portal.Api.Topology;

/// <summary>The live topology's settings, bound from <c>Portal:Topology</c> (environment: <c>Portal__Topology__Key</c>).</summary>
public sealed class TopologySettings
{
    public const string Section = "Portal:Topology";

    /// <summary>
    /// A host silent this long is shown stale (greyed out) until the reaper removes it after
    /// <c>Portal:Reconciler:ReapAfter</c>. Unset: two thirds of the reap window (47 s of wadm's 70 s,
    /// a bit over one missed 30 s heartbeat plus slack).
    /// </summary>
    public TimeSpan? StaleAfter { get; set; }

    /// <summary>How often a watch checks for hosts turning stale; the only timer, everything else is pushed by events.</summary>
    public TimeSpan StaleCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The least time between two updates of one watch. A change after a quiet spell goes out at
    /// once; in a storm (hundreds of hosts heartbeating) changes are folded into one update per
    /// interval, so a page re-renders a few times a second, not once per event.
    /// </summary>
    public TimeSpan MinUpdateInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the event stream sends a keep-alive comment when the lattice is quiet.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan StaleAfterFor(TimeSpan reapAfter) => StaleAfter ?? reapAfter * 2 / 3;
}
