namespace Portal.Lattice.Control;

/// <summary>Defaults follow the Rust wasmcloud-control-interface client: 2 s requests, 5 s scatter-gather windows.</summary>
public sealed record LatticeClientOptions
{
    public string Lattice { get; init; } = LatticeSubjects.DefaultLattice;

    /// <summary>Control topic prefix; null means <c>wasmbus.ctl</c>.</summary>
    public string? TopicPrefix { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Window of host.ping and the auctions; the client always waits it out.</summary>
    public TimeSpan AuctionTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
