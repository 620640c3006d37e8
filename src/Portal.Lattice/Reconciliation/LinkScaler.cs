using Portal.Lattice.Control;

namespace Portal.Lattice.Reconciliation;

/// <summary>
/// A link trait (protocol notes 4.5.6): put the link when link.get lacks one with the same source,
/// target and name. Like wadm, differing config lists or interfaces on an existing link are not
/// corrected (wadm#88); a new manifest version with other values gets a new scaler id instead.
/// </summary>
public sealed record LinkScaler : ScalerSpec
{
    public const string KindName = "LinkScaler";

    public required string SourceId { get; init; }

    public required string TargetId { get; init; }

    public required string Namespace { get; init; }

    public required string Package { get; init; }

    public required IReadOnlyList<string> Interfaces { get; init; }

    public string LinkName { get; init; } = "default";

    public IReadOnlyList<string> SourceConfigNames { get; init; } = [];

    public IReadOnlyList<string> TargetConfigNames { get; init; } = [];

    public override string Kind => KindName;

    public override string Name => $"{SourceId} -({Namespace}:{Package})-> {TargetId}";

    protected override string ComputeId() =>
        ScalerIds.Sha256([KindName, AppName, LinkName, SourceId, TargetId, Namespace, Package, .. Interfaces, .. SourceConfigNames, .. TargetConfigNames]);

    public Link ToLink() => new()
    {
        SourceId = SourceId,
        Target = TargetId,
        Name = LinkName,
        WitNamespace = Namespace,
        WitPackage = Package,
        Interfaces = [.. Interfaces],
        SourceConfig = [.. SourceConfigNames],
        TargetConfig = [.. TargetConfigNames],
    };

    public override ScalerResult Reconcile(LatticeState state) =>
        state.Links.Any(l => l.SourceId == SourceId && l.Target == TargetId && l.Name == LinkName)
            ? ScalerResult.Deployed()
            : new ScalerResult([new PutLink(ToLink())], StatusInfo.Reconciling($"Putting link definition between {SourceId} and {TargetId}"));

    /// <summary>
    /// Deletes the link only while it is there and still points at our target: link.del always
    /// succeeds, so deleting unconditionally would send a command on every pass, and a link with
    /// this identity but another target is somebody else's.
    /// </summary>
    public override ScalerResult Cleanup(LatticeState state) =>
        state.Links.Any(l => l.SourceId == SourceId && l.WitNamespace == Namespace && l.WitPackage == Package && l.Name == LinkName && l.Target == TargetId)
            ? new ScalerResult([new DeleteLink(SourceId, Namespace, Package, LinkName)], StatusInfo.Reconciling($"Deleting link definition between {SourceId} and {TargetId}"))
            : ScalerResult.Deployed();
}
