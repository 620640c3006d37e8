namespace Portal.Lattice.Reconciliation;

/// <summary>A component with a daemonscaler (protocol notes 4.5.3): <see cref="Instances"/> on every matching host.</summary>
public sealed record ComponentDaemonScaler : ScalerSpec
{
    public const string KindName = "DaemonScaler";

    public required string ComponentName { get; init; }

    public required string ComponentId { get; init; }

    public required string ImageRef { get; init; }

    /// <summary>The instance cap on each matching host.</summary>
    public required uint Instances { get; init; }

    /// <summary>Weights are ignored; no spreads = every host.</summary>
    public IReadOnlyList<Spread> Spreads { get; init; } = [];

    public IReadOnlyList<string> ConfigNames { get; init; } = [];

    public override string Kind => KindName;

    public override string Name => ComponentId;

    protected override string ComputeId() => ScalerIds.Sha256([KindName, AppName, ComponentName, ComponentId, ImageRef, .. ConfigNames]);

    public override ScalerResult Reconcile(LatticeState state) => Run(state, Instances, cleanup: false);

    public override ScalerResult Cleanup(LatticeState state) => Run(state, 0, cleanup: true);

    private ScalerResult Run(LatticeState state, uint instances, bool cleanup)
    {
        var id = Id;
        var spreads = Spreads.Count == 0 ? [Spread.Default] : Spreads;
        var hosts = state.OrderedHosts.ToList();

        var ineligible = hosts
            .Where(h => !spreads.Any(s => s.Matches(h.Labels)) && h.Components.TryGetValue(ComponentId, out var c)
                        && (!cleanup || ScalerAnnotations.BelongsTo(c.Annotations, id)))
            .Select(h => (LatticeCommand)new ScaleComponent(ComponentId, ImageRef, h.HostId, 0, ScalerAnnotations.ForApp(AppName), ConfigNames))
            .ToList();
        if (ineligible.Count > 0) return new ScalerResult(ineligible, StatusInfo.Reconciling("Found components running on ineligible hosts, removing them."));

        var commands = new List<LatticeCommand>();
        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spread in spreads)
        {
            foreach (var host in hosts.Where(h => spread.Matches(h.Labels)))
            {
                // A host matching two spreads is the first spread's: two commands would overwrite each other.
                if (!handled.Add(host.HostId)) continue;
                host.Components.TryGetValue(ComponentId, out var running);
                var mine = running is not null && ScalerAnnotations.BelongsTo(running.Annotations, id, spread.Name);
                var current = mine ? running!.MaxInstances : 0u;
                var upToDate = !mine || running!.ImageRef == ImageRef;
                if (current == instances && upToDate) continue;
                if (instances == 0 && !mine) continue;
                commands.Add(new ScaleComponent(ComponentId, ImageRef, host.HostId, instances, ScalerAnnotations.ForSpread(AppName, id, spread.Name),
                    ConfigNames, AllowUpdate: running is not null && running.ImageRef != ImageRef));
            }
        }

        if (handled.Count == 0 && instances > 0)
        {
            return new ScalerResult([], StatusInfo.Failed($"Could not satisfy daemonscaler for {ImageRef}, 0 eligible hosts found."));
        }

        return commands.Count == 0
            ? ScalerResult.Deployed()
            : new ScalerResult(commands, StatusInfo.Reconciling($"Scaling component on {commands.Count} host(s)"));
    }
}
