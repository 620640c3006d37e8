using Portal.Lattice.Observation;

namespace Portal.Lattice.Reconciliation;

/// <summary>
/// A capability provider with a spreadscaler (protocol notes 4.5.4): <see cref="Instances"/> hosts
/// run it, at most one per host. A provider with no scaler trait gets one of these with 1 instance.
/// </summary>
public sealed record ProviderSpreadScaler : ScalerSpec
{
    /// <summary>wadm uses the spread kind for provider spread scalers too (in the id and the status).</summary>
    public const string KindName = "SpreadScaler";

    public required string ComponentName { get; init; }

    public required string ProviderId { get; init; }

    public required string ImageRef { get; init; }

    public required uint Instances { get; init; }

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
        var targets = SpreadMath.Compute(instances, Spreads);
        var hosts = state.OrderedHosts.ToList();

        // Only ours are stopped on ineligible hosts: someone else's provider with this id is theirs.
        var ineligible = hosts
            .Where(h => !targets.Any(t => t.Spread.Matches(h.Labels)) && h.Providers.TryGetValue(ProviderId, out var p) && ScalerAnnotations.BelongsTo(p.Annotations, id))
            .Select(h => (LatticeCommand)new StopProvider(ProviderId, h.HostId))
            .ToList();
        if (ineligible.Count > 0) return new ScalerResult(ineligible, StatusInfo.Reconciling("Found providers running on ineligible hosts, removing them."));

        var failures = new List<string>();
        var commands = new List<LatticeCommand>();
        foreach (var (spread, count) in targets)
        {
            var eligible = hosts.Where(h => spread.Matches(h.Labels)).ToList();
            var running = eligible.Where(h => h.Providers.ContainsKey(ProviderId)).ToList();
            var forSpread = running.Where(h => ScalerAnnotations.BelongsTo(h.Providers[ProviderId].Annotations, id, spread.Name)).ToList();
            var forOther = running.Count - forSpread.Count;
            if (running.Count > count && forSpread.Count > 0)
            {
                // Only ours can be stopped; a provider someone else started counts but stays (wadm#217).
                commands.AddRange(forSpread.Take(running.Count - (int)count).Select(h => new StopProvider(ProviderId, h.HostId)));
            }
            else if (running.Count < count)
            {
                // Providers started for other spreads or by others count toward the target (wadm#120).
                var toStart = Math.Max(0, (int)count - running.Count - forOther);
                // Ranked per spread (HostRanking), so many applications' providers do not all start on
                // the first host by id; only here, where a start is needed, not on every pass.
                var started = HostRanking.For($"{ProviderId}/{spread.Name}", eligible)
                    .Where(h => !h.Providers.ContainsKey(ProviderId) && !commands.Any(c => c.HostId == h.HostId))
                    .Take(toStart)
                    .Select(h => new StartProvider(ProviderId, ImageRef, h.HostId, ScalerAnnotations.ForSpread(AppName, id, spread.Name), ConfigNames))
                    .ToList();
                commands.AddRange(started);
                if (started.Count < toStart)
                {
                    failures.Add($"Could not satisfy spread {spread.Name} for {ImageRef}, {forSpread.Count}/{count} eligible hosts found.");
                }
            }
        }

        if (failures.Count > 0) return new ScalerResult(commands, StatusInfo.Failed(string.Join(" ", failures)));
        if (commands.Count > 0) return new ScalerResult(commands, StatusInfo.Reconciling($"Scaling provider on {commands.Count} host(s)"));
        return instances == 0 ? ScalerResult.Deployed() : ProviderHealthStatus.Of(hosts, ProviderId);
    }
}

/// <summary>A deployed provider scaler turns failed while any host reports the provider unhealthy (4.5.4).</summary>
internal static class ProviderHealthStatus
{
    public static ScalerResult Of(IEnumerable<ObservedHost> hosts, string providerId)
    {
        var unhealthy = hosts.Count(h => h.Providers.TryGetValue(providerId, out var p) && p.Health == ProviderHealth.Unhealthy);
        return unhealthy == 0 ? ScalerResult.Deployed() : new ScalerResult([], StatusInfo.Failed($"Unhealthy provider on {unhealthy} host(s)"));
    }
}
