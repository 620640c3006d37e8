using Portal.Api.Quotas;

namespace Portal.Api.Deployments.Runtime;

/// <summary>Observed hosts from the observers the reconciler or the planner already run; a lattice nobody observes answers null.</summary>
internal sealed class RuntimeObservedHosts(LatticeRuntime runtime) : IObservedHosts
{
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? Of(string latticeId) =>
        runtime.Peek(latticeId)?.Hosts.Values.Select(h => h.Labels).ToList();
}
