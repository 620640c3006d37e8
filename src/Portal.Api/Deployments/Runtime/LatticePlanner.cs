using Portal.Lattice.Control;
using Portal.Lattice.Manifests;
using Portal.Lattice.Nats;
using Portal.Lattice.Observation;
using Portal.Lattice.Reconciliation;
using Spread = Portal.Lattice.Reconciliation.Spread;

namespace Portal.Api.Deployments.Runtime;

/// <summary>
/// "What would deploying this version do now": the reconciler's pure pass
/// (<see cref="LatticeReconciler.Plan"/>) over the observed lattice, link.get and config.get, with
/// the version currently deployed there as the retired one (so an upgrade shows its cleanups).
/// Commands and problems are described for people.
/// </summary>
internal sealed class LatticePlanner(LatticeRuntime runtime, DesiredStateReader desiredState) : IDeploymentPlanner
{
    public const string Name = "reconciler";

    public async Task<DeploymentPlan> PlanAsync(DeploymentPlanRequest request, CancellationToken cancellationToken = default)
    {
        var problems = request.Validation.Where(p => p.IsError).Select(p => new PlannedProblem(p.Message, p.Path)).ToList();
        var manifest = ManifestParser.Parse(request.CanonicalManifest, ManifestFormat.Json).Manifest;
        if (manifest is null) return new DeploymentPlan([], [.. problems, new PlannedProblem("The stored manifest does not parse.")], Name);
        var next = ManifestScalers.From(manifest, request.Version);

        LatticeSnapshot snapshot;
        LatticeState state;
        DesiredLattice current;
        try
        {
            var observer = await runtime.GetObserverAsync(request.LatticeId, cancellationToken);
            snapshot = observer.Snapshot;
            current = await desiredState.ReadAsync(request.LatticeId, cancellationToken);
            state = await ReadStateAsync(await runtime.GetClientAsync(request.LatticeId, cancellationToken), snapshot, next, current, cancellationToken);
        }
        catch (Exception e) when (e is NatsException or LatticeProtocolException or TimeoutException or IOException)
        {
            return new DeploymentPlan([], [.. problems, new PlannedProblem($"Lattice {request.Lattice} cannot be reached now: {e.Message}")], Name);
        }

        var deployedNow = current.Deployed.FirstOrDefault(a => a.AppName == next.AppName);
        var desired = new DesiredLattice([next], deployedNow is null ? [] : [deployedNow]);
        var plan = LatticeReconciler.Plan(desired, snapshot, state.Links, state.Configs);

        var changes = plan.Commands.Select(c => Describe(c, snapshot)).ToList();
        problems.AddRange(SpreadProblems(next, snapshot));
        problems.AddRange(plan.Problems
            .Where(p => !p.Message.StartsWith("Could not satisfy", StringComparison.Ordinal))
            .Select(p => new PlannedProblem($"{p.ScalerName}: {p.Message}")));
        if (snapshot.Hosts.Count == 0) problems.Add(new PlannedProblem($"No hosts known in lattice {request.Lattice} ({request.LatticeId}): {ReconcilePlanner.NoHostsMessage}"));
        return new DeploymentPlan(changes, problems, Name);
    }

    private static async Task<LatticeState> ReadStateAsync(LatticeClient client, LatticeSnapshot snapshot, AppScalers next, DesiredLattice current, CancellationToken cancellationToken)
    {
        if (snapshot.Hosts.Count == 0) return new LatticeState { Snapshot = snapshot };
        var links = await client.GetLinksAsync(cancellationToken);
        if (!links.Success) throw new LatticeProtocolException("link.get", links.Message);
        var configs = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var names = next.All.Concat(current.Deployed.SelectMany(a => a.All))
            .Select(s => s switch { ConfigScaler c => c.ConfigName, SecretScaler x => x.SecretName, _ => null })
            .OfType<string>().Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var reply = await client.GetConfigAsync(name, cancellationToken);
            if (reply is { Success: true, Response: { } values }) configs[name] = values;
        }

        return new LatticeState { Snapshot = snapshot, Links = links.Response ?? [], Configs = configs };
    }

    /// <summary>A spread no observed host matches, in people's words: "No host matches spread east (zone=us-east-1)".</summary>
    private static IEnumerable<PlannedProblem> SpreadProblems(AppScalers app, LatticeSnapshot snapshot)
    {
        if (snapshot.Hosts.Count == 0) yield break;
        foreach (var scaler in app.Scalers)
        {
            (string Name, IReadOnlyList<Spread> Spreads) owner = scaler switch
            {
                ComponentSpreadScaler s => (s.ComponentName, s.Spreads),
                ComponentDaemonScaler s => (s.ComponentName, s.Spreads),
                ProviderSpreadScaler s => (s.ComponentName, s.Spreads),
                ProviderDaemonScaler s => (s.ComponentName, s.Spreads),
                _ => ("", []),
            };
            var (name, spreads) = owner;
            foreach (var spread in spreads.Where(s => !snapshot.Hosts.Values.Any(h => s.Matches(h.Labels))))
            {
                yield return new PlannedProblem($"No host matches spread {spread.Name} ({Requirements(spread.Requirements)}) of {name}");
            }
        }
    }

    private static PlannedChange Describe(PlannedCommand planned, LatticeSnapshot snapshot)
    {
        string On(string host) => $"on host {Short(host)}{Labels(snapshot, host)}";
        var command = planned.Command;
        var (kind, target, text) = command switch
        {
            ScaleComponent s when s.Count == 0 => ("ScaleComponent", s.Host, $"Stop {s.ComponentId} {On(s.Host)}"),
            ScaleComponent s => ("ScaleComponent", s.Host, $"Scale {s.ComponentId} to {s.Count} {On(s.Host)}{(s.AllowUpdate ? ", updating its image" : "")}"),
            StartProvider p => ("StartProvider", p.Host, $"Start provider {p.ProviderId} {On(p.Host)}"),
            StopProvider p => ("StopProvider", p.Host, $"Stop provider {p.ProviderId} {On(p.Host)}"),
            PutLink l => ("PutLink", l.Link.SourceId,
                $"Link {l.Link.SourceId} → {l.Link.Target} ({l.Link.WitNamespace}:{l.Link.WitPackage}/{string.Join(",", l.Link.Interfaces)}, name {l.Link.Name})"),
            DeleteLink l => ("DeleteLink", l.SourceId, $"Remove link {l.SourceId} ({l.Namespace}:{l.Package}, name {l.Name})"),
            PutConfig c => ("PutConfig", c.Name, $"Write config {c.Name} ({string.Join(", ", c.Values.Keys.Order(StringComparer.Ordinal))})"),
            DeleteConfig c => ("DeleteConfig", c.Name, $"Delete config {c.Name}"),
            _ => (command.GetType().Name, command.HostId, command.Describe()),
        };
        return new PlannedChange(kind, target, planned.Cleanup ? $"{text} (left over from the deployed version)" : text);
    }

    private static string Short(string hostId) => hostId.Length > 12 ? hostId[..8] + "…" : hostId;

    /// <summary>The host's own labels (not the hostcore.* ones every host has), e.g. " (zone=a)".</summary>
    private static string Labels(LatticeSnapshot snapshot, string hostId)
    {
        if (!snapshot.Hosts.TryGetValue(hostId, out var host)) return "";
        var labels = host.Labels.Where(l => !l.Key.StartsWith("hostcore.", StringComparison.Ordinal)).ToDictionary();
        return labels.Count == 0 ? "" : $" ({Requirements(labels)})";
    }

    private static string Requirements(IReadOnlyDictionary<string, string> pairs) =>
        pairs.Count == 0 ? "any host" : string.Join(", ", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
