using Portal.Lattice.Control;
using Portal.Lattice.Observation;

namespace Portal.Lattice.Reconciliation;

/// <summary>
/// What the scalers read: the observer's snapshot (hosts with labels, what runs where with
/// annotations, provider health), the lattice's links as link.get answers them, and the values of
/// the configs the scalers care about as config.get answers them (a missing key = not found).
/// </summary>
public sealed record LatticeState
{
    public required LatticeSnapshot Snapshot { get; init; }

    public IReadOnlyList<Link> Links { get; init; } = [];

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Configs { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Hosts in host-id order, so that "the first eligible host" is the same on every pass.</summary>
    internal IEnumerable<ObservedHost> OrderedHosts => Snapshot.Hosts.Values.OrderBy(h => h.HostId, StringComparer.Ordinal);
}

/// <summary>A scaler's answer: the commands to send and its status.</summary>
public sealed record ScalerResult(IReadOnlyList<LatticeCommand> Commands, StatusInfo Status)
{
    public static ScalerResult Deployed() => new([], StatusInfo.Deployed());
}
