namespace Portal.Lattice.Reconciliation;

/// <summary>A capability provider with a daemonscaler (protocol notes 4.5.5): on every matching host.</summary>
public sealed record ProviderDaemonScaler : ScalerSpec
{
    public const string KindName = "DaemonScaler";

    public required string ComponentName { get; init; }

    public required string ProviderId { get; init; }

    public required string ImageRef { get; init; }

    /// <summary>Providers have no count: anything above 0 means "run it", 0 means "stop ours".</summary>
    public uint Instances { get; init; } = 1;

    public IReadOnlyList<Spread> Spreads { get; init; } = [];

    public IReadOnlyList<string> ConfigNames { get; init; } = [];

    public override string Kind => KindName;

    public override string Name => ProviderId;

    protected override string ComputeId() => ScalerIds.Sha256([KindName, AppName, ComponentName, ProviderId, ImageRef, .. ConfigNames]);

    public override ScalerResult Reconcile(LatticeState state) => Run(state, Instances);

    public override ScalerResult Cleanup(LatticeState state) => Run(state, 0);

    private ScalerResult Run(LatticeState state, uint instances)
    {
        var id = Id;
        var spreads = Spreads.Count == 0 ? [Spread.Default] : Spreads;
        var hosts = state.OrderedHosts.ToList();
        var commands = new List<LatticeCommand>();
        foreach (var host in hosts)
        {
            var spread = spreads.FirstOrDefault(s => s.Matches(host.Labels));
            host.Providers.TryGetValue(ProviderId, out var running);
            var ours = running is not null && ScalerAnnotations.BelongsTo(running.Annotations, id);
            if ((spread is null || instances == 0) && ours) commands.Add(new StopProvider(ProviderId, host.HostId));
            else if (spread is not null && instances > 0 && running is null)
            {
                commands.Add(new StartProvider(ProviderId, ImageRef, host.HostId, ScalerAnnotations.ForSpread(AppName, id, spread.Name), ConfigNames));
            }
        }

        if (commands.Count > 0) return new ScalerResult(commands, StatusInfo.Reconciling($"Scaling provider on {commands.Count} host(s)"));
        if (instances > 0 && !hosts.Any(h => spreads.Any(s => s.Matches(h.Labels))))
        {
            return new ScalerResult([], StatusInfo.Failed($"Could not satisfy daemonscaler for {ImageRef}, 0 eligible hosts found."));
        }

        return instances == 0 ? ScalerResult.Deployed() : ProviderHealthStatus.Of(hosts, ProviderId);
    }
}
