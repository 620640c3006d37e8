using Portal.Data.Applications;

namespace Portal.Api.Deployments;

/// <summary>
/// A committed change of desired state, for the reconciler: which application, in which lattice
/// (wire id), which version (null when undeployed) and whether the application itself is gone
/// (then only the lattice's objects annotated as managed by it are left to remove).
/// </summary>
public sealed record DeploymentChange(
    Guid TenantId,
    string Application,
    string LatticeId,
    string Lattice,
    string? Version,
    DesiredState DesiredState,
    bool ApplicationRemoved = false);

/// <summary>
/// The seam between the REST/UI path and the reconciler: called after a deploy, undeploy,
/// rollback or delete has committed (never inside the transaction, so a reconciler that acts at
/// once reads the new rows). The reconciler registers its own implementation (an in-process wake-up
/// plus Postgres NOTIFY for other replicas); until then <see cref="NoDeploymentSignal"/> does
/// nothing and desired state simply waits in the database, which the reconciler reads at start.
/// </summary>
public interface IDeploymentSignal
{
    Task DeploymentChangedAsync(DeploymentChange change, CancellationToken cancellationToken = default);
}

internal sealed class NoDeploymentSignal : IDeploymentSignal
{
    public Task DeploymentChangedAsync(DeploymentChange change, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
