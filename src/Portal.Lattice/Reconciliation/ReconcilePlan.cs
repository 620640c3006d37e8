namespace Portal.Lattice.Reconciliation;

/// <summary>A command a pass would send, with the app and scaler that asked for it.</summary>
/// <param name="Cleanup">True when it removes what a retired scaler (old version, undeployed app) owned.</param>
public sealed record PlannedCommand(string App, string ScalerId, string ScalerKind, LatticeCommand Command, bool Cleanup);

/// <summary>Something that keeps an app from deploying, e.g. "Could not satisfy spread east for …".</summary>
public sealed record PlanProblem(string App, string ScalerId, string ScalerName, string Message);

/// <summary>What one pass would do: its commands, the problems it sees and the statuses it would report.</summary>
public sealed record ReconcilePlan(
    IReadOnlyList<PlannedCommand> Commands,
    IReadOnlyList<PlanProblem> Problems,
    IReadOnlyDictionary<string, AppStatus> Statuses);

/// <summary>The desired state of one lattice, as the portal's database holds it.</summary>
/// <param name="Deployed">The deployed version of every deployed app.</param>
/// <param name="Retired">
/// Versions whose leftovers must go: an app's previous version after an upgrade, an undeployed
/// app's last version. Their scalers not in the app's deployed version are cleaned up. The
/// reconciler also remembers versions it saw replaced, so this may be empty after an in-process
/// upgrade; it is what makes cleanup survive a restart or a fail-over.
/// </param>
public sealed record DesiredLattice(IReadOnlyList<AppScalers> Deployed, IReadOnlyList<AppScalers> Retired)
{
    public static DesiredLattice Empty { get; } = new([], []);
}
