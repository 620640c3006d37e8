namespace Portal.Lattice.Reconciliation;

/// <summary>
/// One spread of a spreadscaler/daemonscaler: the hosts whose labels hold every requirement, and
/// the weight that decides its share of the instances (wadm's default weight is 100).
/// </summary>
public sealed record Spread(string Name, IReadOnlyDictionary<string, string> Requirements, uint? Weight = null)
{
    public const uint DefaultWeight = 100;

    /// <summary>The spread wadm adds when a scaler names none: every host, all instances.</summary>
    public static Spread Default { get; } = new("default", new Dictionary<string, string>());

    public uint EffectiveWeight => Weight ?? DefaultWeight;

    /// <summary>Every requirement equals a host label; empty requirements match every host.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) =>
        Requirements.All(r => labels.TryGetValue(r.Key, out var value) && value == r.Value);
}

/// <summary>A spread with the instances compute_spread gave it.</summary>
public sealed record SpreadTarget(Spread Spread, uint Count);

/// <summary>wadm's <c>compute_spread</c> (protocol notes 4.5.1).</summary>
public static class SpreadMath
{
    /// <summary>
    /// Sorts by weight, heaviest first (stable, so equal weights keep manifest order), gives each
    /// <c>floor(instances × weight / total)</c>, then hands the remainder out one by one in that
    /// order. No spreads → one implicit match-all spread with every instance.
    /// </summary>
    public static IReadOnlyList<SpreadTarget> Compute(uint instances, IReadOnlyList<Spread> spreads)
    {
        if (spreads.Count == 0) return [new SpreadTarget(Spread.Default, instances)];
        var ordered = spreads.OrderByDescending(s => s.EffectiveWeight).ToList();
        var total = ordered.Aggregate(0UL, (sum, s) => sum + s.EffectiveWeight);
        // A total weight of 0 (every weight 0) would divide by zero in wadm; give nothing, then the remainder.
        var counts = ordered.Select(s => total == 0 ? 0u : (uint)((ulong)instances * s.EffectiveWeight / total)).ToArray();
        var remainder = instances - (uint)counts.Sum(c => (long)c);
        for (var i = 0; remainder > 0; i = (i + 1) % counts.Length, remainder--) counts[i]++;
        return ordered.Select((s, i) => new SpreadTarget(s, counts[i])).ToList();
    }
}
