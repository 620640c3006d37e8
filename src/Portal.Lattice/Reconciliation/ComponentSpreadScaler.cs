using Portal.Lattice.Observation;

namespace Portal.Lattice.Reconciliation;

/// <summary>
/// A component with a spreadscaler (protocol notes 4.5.2). A spread's instances become ONE host's
/// instance cap (wadm 1.x semantics), not that many hosts.
/// </summary>
public sealed record ComponentSpreadScaler : ScalerSpec
{
    public const string KindName = "SpreadScaler";

    /// <summary>The component's name in the manifest (part of wadm's id).</summary>
    public required string ComponentName { get; init; }

    public required string ComponentId { get; init; }

    public required string ImageRef { get; init; }

    public required uint Instances { get; init; }

    public IReadOnlyList<Spread> Spreads { get; init; } = [];

    /// <summary>Named configs handed to the component, in order.</summary>
    public IReadOnlyList<string> ConfigNames { get; init; } = [];

    public override string Kind => KindName;

    public override string Name => ComponentId;

    protected override string ComputeId() => ScalerIds.Sha256([KindName, AppName, ComponentName, ComponentId, ImageRef, .. ConfigNames]);

    public override ScalerResult Reconcile(LatticeState state) => Run(state, Instances, cleanup: false);

    public override ScalerResult Cleanup(LatticeState state) => Run(state, 0, cleanup: true);

    private ScalerResult Run(LatticeState state, uint instances, bool cleanup)
    {
        var id = Id;
        var targets = SpreadMath.Compute(instances, Spreads);
        var hosts = state.OrderedHosts.ToList();

        // 1. Instances on hosts no spread matches go first, and alone. While cleaning up only our
        // own are touched, so an undeploy never stops someone else's component.
        var ineligible = hosts
            .Where(h => !targets.Any(t => t.Spread.Matches(h.Labels)) && h.Components.TryGetValue(ComponentId, out var c)
                        && (!cleanup || ScalerAnnotations.BelongsTo(c.Annotations, id)))
            .Select(h => Scale(h.HostId, 0, ScalerAnnotations.ForApp(AppName)))
            .ToList<LatticeCommand>();
        if (ineligible.Count > 0) return new ScalerResult(ineligible, StatusInfo.Reconciling("Found components running on ineligible hosts, removing them."));

        var failures = new List<string>();
        var commands = new List<ScaleComponent>();
        foreach (var (spread, count) in targets)
        {
            var eligible = hosts.Where(h => spread.Matches(h.Labels)).ToList();
            if (eligible.Count == 0)
            {
                failures.Add($"Could not satisfy spread {spread.Name} for {ImageRef}, 0/1 eligible hosts found.");
                continue;
            }

            var ours = hosts
                .Select(h => (Host: h, Component: h.Components.GetValueOrDefault(ComponentId)))
                .Where(x => x.Component is not null && ScalerAnnotations.BelongsTo(x.Component.Annotations, id, spread.Name))
                .Select(x => (x.Host.HostId, x.Component!.MaxInstances, Current: x.Component.ImageRef == ImageRef))
                .ToList();
            var current = (uint)ours.Where(o => o.Current).Sum(o => (long)o.MaxInstances);
            var all = (uint)ours.Sum(o => (long)o.MaxInstances);

            if (count > 0 && current < count)
            {
                var host = PickHost(eligible, spread, id, commands);
                var running = host.Components.GetValueOrDefault(ComponentId);
                // The host keeps a running component's image unless asked: an upgrade's new image needs allow_update.
                commands.Add(Scale(host.HostId, count, ScalerAnnotations.ForSpread(AppName, id, spread.Name), running is not null && running.ImageRef != ImageRef));
            }
            else if (all > count)
            {
                // Reduce host by host, stale images first, until the spread holds exactly its count.
                var toStop = all - count;
                foreach (var (hostId, max, _) in ours.OrderBy(o => o.Current).ThenBy(o => o.HostId, StringComparer.Ordinal))
                {
                    if (toStop == 0) break;
                    var stop = Math.Min(max, toStop);
                    toStop -= stop;
                    commands.Add(Scale(hostId, max - stop, ScalerAnnotations.ForSpread(AppName, id, spread.Name)));
                }
            }
        }

        var conflict = Conflict(hosts, targets, commands, id);
        if (conflict is not null) return new ScalerResult([], StatusInfo.Failed(conflict));
        if (failures.Count > 0) return new ScalerResult(commands, StatusInfo.Failed(string.Join(" ", failures)));
        return commands.Count == 0
            ? ScalerResult.Deployed()
            : new ScalerResult(commands, StatusInfo.Reconciling($"Scaling component on {commands.Count} host(s)"));
    }

    /// <summary>
    /// wadm takes the first eligible host in map order (arbitrary). We keep it deterministic and
    /// avoid needless conflicts: a host already running this spread's instance, then one that runs no
    /// other spread's instance and got no command yet, then any eligible host. Among equals the
    /// order is the spread's own ranking of the hosts (<see cref="HostRanking"/>), so that the
    /// spreads of many applications land on different hosts instead of all on the first by id, and
    /// every pass and every portal replica ranks alike.
    /// </summary>
    private ObservedHost PickHost(List<ObservedHost> eligible, Spread spread, string id, List<ScaleComponent> planned)
    {
        bool Mine(ObservedHost h) => h.Components.TryGetValue(ComponentId, out var c) && ScalerAnnotations.BelongsTo(c.Annotations, id, spread.Name);
        bool Free(ObservedHost h) => planned.All(p => p.Host != h.HostId)
                                     && !(h.Components.TryGetValue(ComponentId, out var c) && ScalerAnnotations.BelongsTo(c.Annotations, id));
        // Keyed by component, not scaler: a new version ranks the hosts as the old one did, so it
        // replaces the old instance in place (allow_update) instead of moving.
        var ranked = HostRanking.For($"{ComponentId}/{spread.Name}", eligible);
        return ranked.FirstOrDefault(Mine) ?? ranked.FirstOrDefault(Free) ?? ranked[0];
    }

    /// <summary>
    /// A host runs a component once, so two spreads' commands on one host overwrite each other.
    /// Project the commands onto the hosts; if a spread would end below its count, another spread's
    /// command overwrote it: the spreads overlap and sending would only make them fight. (Ending
    /// above is fine: the next pass reduces.)
    /// </summary>
    private string? Conflict(List<ObservedHost> hosts, IReadOnlyList<SpreadTarget> targets, List<ScaleComponent> commands, string id)
    {
        var projected = hosts
            .Where(h => h.Components.ContainsKey(ComponentId))
            .ToDictionary(h => h.HostId, h => (h.Components[ComponentId].Annotations, h.Components[ComponentId].MaxInstances));
        foreach (var c in commands)
        {
            if (c.Count == 0) projected.Remove(c.Host);
            else projected[c.Host] = (c.Annotations, c.Count);
        }

        var wrong = targets
            .Where(t => hosts.Any(h => t.Spread.Matches(h.Labels)))
            .Select(t => (t, Got: projected.Values.Where(p => ScalerAnnotations.BelongsTo(p.Annotations, id, t.Spread.Name)).Sum(p => (long)p.MaxInstances)))
            .Where(x => x.Got < x.t.Count)
            .Select(x => $"spread {x.t.Spread.Name} needs {x.t.Count} instance(s) but would get {x.Got}")
            .ToList();
        return wrong.Count == 0 ? null : "Spread requirement conflict: " + string.Join(", ", wrong);
    }

    private ScaleComponent Scale(string hostId, uint count, Dictionary<string, string> annotations, bool allowUpdate = false) =>
        new(ComponentId, ImageRef, hostId, count, annotations, ConfigNames, allowUpdate);
}
