namespace Portal.Lattice.Reconciliation;

public sealed record ReconcilerOptions
{
    /// <summary>A pass runs at least this often even when nothing changes (retries after NATS or host trouble).</summary>
    public TimeSpan PassInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Commands in flight at once within a pass.</summary>
    public int MaxInFlight { get; init; } = 16;

    public BackoffTimings Backoff { get; init; } = new();

    /// <summary>Publish each app's status change on <c>wadm.status.{lattice}.{app}</c>, as wadm does.</summary>
    public bool PublishStatus { get; init; } = true;

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

public enum TimelineKind
{
    /// <summary>A command went out (or its sending failed: see <see cref="TimelineEntry.Error"/>).</summary>
    CommandSent,

    /// <summary>The event a command waited for arrived (or its failure event).</summary>
    EventAnswered,

    /// <summary>A host that ran part of the app left the lattice (stopped, or reaped after silence).</summary>
    HostLost,

    /// <summary>The app is deployed again after a host loss.</summary>
    Repaired,

    /// <summary>A retired version's leftovers are all gone: the Api side may forget it.</summary>
    CleanupComplete,
}

/// <summary>One line of an app's timeline.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string App, TimelineKind Kind, string Text, string? ScalerId = null, string? HostId = null, string? Error = null)
{
    /// <summary>The retired version a <see cref="TimelineKind.CleanupComplete"/> entry is about.</summary>
    public string? Version { get; init; }
}

/// <summary>An app's status changed (also published on <c>wadm.status.{lattice}.{app}</c>).</summary>
public sealed record AppStatusChange(string Lattice, string App, AppStatus Status, DateTimeOffset At);

/// <summary>What one pass did.</summary>
public sealed record PassResult(int CommandsSent, int CommandsFailed, bool Skipped, string? SkipReason = null);
