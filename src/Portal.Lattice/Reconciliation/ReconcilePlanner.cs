namespace Portal.Lattice.Reconciliation;

/// <summary>Where the backoff tracker stands for one scaler (protocol notes 4.5.8).</summary>
/// <param name="Waiting">Commands were sent and their events have not all arrived: send nothing, keep the last status.</param>
/// <param name="Failure">A failure event's error, shown as the scaler's status while the failure hold lasts.</param>
public readonly record struct Backoff(bool Waiting, string? Failure)
{
    public static Backoff None => default;
}

/// <summary>
/// One pass over the desired state, without side effects: the engine runs it with its backoff
/// tracker, the portal's "plan before deploy" screen without.
/// </summary>
public static class ReconcilePlanner
{
    public const string NoHostsMessage = "Lattice contains no hosts, deployment not started.";

    /// <param name="desired">Deployed apps and retired versions.</param>
    /// <param name="state">The observed lattice.</param>
    /// <param name="backoff">The tracker's view of a scaler id; null = nothing outstanding anywhere.</param>
    /// <param name="lastStatus">A waiting scaler's last status, to keep showing it; null = reconciling.</param>
    public static ReconcilePlan Plan(DesiredLattice desired, LatticeState state, Func<string, Backoff>? backoff = null, Func<string, StatusInfo?>? lastStatus = null)
    {
        backoff ??= _ => Backoff.None;
        var commands = new List<PlannedCommand>();
        var problems = new List<PlanProblem>();
        var statuses = new Dictionary<string, AppStatus>(StringComparer.Ordinal);

        var deployedApps = desired.Deployed.ToDictionary(a => a.AppName, StringComparer.Ordinal);
        var noHosts = state.Snapshot.Hosts.Count == 0;

        foreach (var app in desired.Deployed)
        {
            if (noHosts)
            {
                // Like wadm (#346): without a host nothing can run, and link/config requests have no responders.
                statuses[app.AppName] = new AppStatus { Status = StatusInfo.Waiting(NoHostsMessage) };
                continue;
            }

            var scalerStatuses = new List<ScalerStatus>();
            var configResults = new Dictionary<string, ScalerResult>(StringComparer.Ordinal);
            foreach (var scaler in app.All)
            {
                ScalerResult result;
                if (scaler is ConfigScaler or SecretScaler)
                {
                    result = scaler.Reconcile(state);
                    configResults[scaler.Id] = result;
                }
                else if (backoff(scaler.Id) is { Failure: { } failure })
                {
                    result = new ScalerResult([], StatusInfo.Failed(failure));
                }
                else if (backoff(scaler.Id).Waiting)
                {
                    result = new ScalerResult([], lastStatus?.Invoke(scaler.Id) ?? StatusInfo.Reconciling(""));
                }
                else if (scaler.Configs.Any(c => configResults.TryGetValue(c.Id, out var r) && r.Commands.Count > 0))
                {
                    // wadm reconciles a scaler's configs first and holds the scaler until they are in place.
                    result = new ScalerResult([], StatusInfo.Reconciling("Waiting for configuration"));
                }
                else
                {
                    result = scaler.Reconcile(state);
                }

                scalerStatuses.Add(new ScalerStatus(scaler.Id, scaler.Kind, scaler.Name, result.Status));
                commands.AddRange(result.Commands.Select(c => new PlannedCommand(app.AppName, scaler.Id, scaler.Kind, c, Cleanup: false)));
                if (result.Status.Type == StatusType.Failed) problems.Add(new PlanProblem(app.AppName, scaler.Id, scaler.Name, result.Status.Message));
            }

            statuses[app.AppName] = AppStatus.From(scalerStatuses);
        }

        if (noHosts) return new ReconcilePlan(commands, problems, statuses);

        // What deployed apps still own must survive the cleanup of a retired scaler of the same name
        // (an upgrade that changes a config's content keeps its name, only the scaler id changes).
        var liveConfigs = desired.Deployed.SelectMany(a => a.All).Select(ConfigNameOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var liveLinks = desired.Deployed.SelectMany(a => a.All).OfType<LinkScaler>()
            .Select(l => (l.SourceId, l.TargetId, l.Namespace, l.Package, l.LinkName)).ToHashSet();

        foreach (var group in desired.Retired.GroupBy(r => r.AppName, StringComparer.Ordinal))
        {
            var current = deployedApps.GetValueOrDefault(group.Key);
            var retired = group.SelectMany(r => AppScalers.Retired(r, current)).DistinctBy(s => s.Id).ToList();
            foreach (var scaler in retired)
            {
                if (ConfigNameOf(scaler) is { } name && liveConfigs.Contains(name)) continue;
                if (scaler is LinkScaler l && liveLinks.Contains((l.SourceId, l.TargetId, l.Namespace, l.Package, l.LinkName))) continue;
                if (backoff(scaler.Id).Waiting) continue;
                var result = scaler.Cleanup(state);
                commands.AddRange(result.Commands.Select(c => new PlannedCommand(group.Key, scaler.Id, scaler.Kind, c, Cleanup: true)));
            }

            if (current is null) statuses[group.Key] = AppStatus.UndeployedApp;
        }

        return new ReconcilePlan(commands, problems, statuses);
    }

    /// <summary>
    /// Passes over a projected lattice until one sends nothing (or <paramref name="maxPasses"/> ran),
    /// as if every command succeeded: everything a deploy will do, not only its first step. The
    /// problems and statuses are those of the first pass, i.e. of the lattice as it is.
    /// </summary>
    public static ReconcilePlan PlanToConvergence(DesiredLattice desired, LatticeState state, int maxPasses = 8)
    {
        var first = Plan(desired, state);
        var commands = first.Commands.ToList();
        var pass = first;
        for (var i = 1; i < maxPasses && pass.Commands.Count > 0; i++)
        {
            state = LatticeProjection.Apply(state, pass.Commands.Select(c => c.Command));
            pass = Plan(desired, state);
            commands.AddRange(pass.Commands);
        }

        return first with { Commands = commands };
    }

    private static string? ConfigNameOf(ScalerSpec scaler) => scaler switch
    {
        ConfigScaler c => c.ConfigName,
        SecretScaler s => s.SecretName,
        _ => null,
    };
}
