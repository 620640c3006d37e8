using Portal.Lattice.Control;

namespace Portal.Lattice.Observation;

public sealed record LatticeObserverOptions
{
    public string Lattice { get; init; } = LatticeSubjects.DefaultLattice;

    public string? TopicPrefix { get; init; }

    /// <summary>How long host.ping gathers answers while seeding.</summary>
    public TimeSpan SeedWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of each host.get / link.get while seeding.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A host silent for this long is dropped. Hosts heartbeat every 30 s by default; about two
    /// missed beats plus slack (as wadm does) avoids flapping.
    /// </summary>
    public TimeSpan ReapAfter { get; init; } = TimeSpan.FromSeconds(70);

    /// <summary>How often the reaper looks.</summary>
    public TimeSpan ReapInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
