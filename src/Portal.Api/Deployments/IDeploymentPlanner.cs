using Portal.Api.Applications.Manifests;

namespace Portal.Api.Deployments;

/// <summary>What the planner is asked: this version's canonical manifest, to be deployed to this lattice.</summary>
public sealed record DeploymentPlanRequest(
    Guid TenantId,
    string Application,
    string Version,
    string Lattice,
    string LatticeId,
    string CanonicalManifest,
    IReadOnlyList<ManifestProblem> Validation);

/// <summary>One command a reconcile pass would send (e.g. <c>ScaleComponent</c> on host N…), described for people.</summary>
public sealed record PlannedChange(string Command, string? Target, string Description);

/// <summary>Something that would keep the deployment from converging (e.g. no eligible host for a spread).</summary>
public sealed record PlannedProblem(string Message, string? Path = null, string Severity = "error");

public sealed record DeploymentPlan(IReadOnlyList<PlannedChange> Changes, IReadOnlyList<PlannedProblem> Problems, string Planner);

/// <summary>
/// Answers "what would deploying this do now". The reconciler engine (Portal.Lattice.Reconciliation's
/// <c>Plan(...)</c> over the observed lattice) registers the real planner; the default,
/// <see cref="ValidationOnlyPlanner"/>, reports only validation problems and that no hosts are known.
/// </summary>
public interface IDeploymentPlanner
{
    Task<DeploymentPlan> PlanAsync(DeploymentPlanRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The planner used while no reconciler is registered: no observed lattice, so no commands can be computed.</summary>
internal sealed class ValidationOnlyPlanner : IDeploymentPlanner
{
    public const string Name = "validation-only";

    public Task<DeploymentPlan> PlanAsync(DeploymentPlanRequest request, CancellationToken cancellationToken = default)
    {
        List<PlannedProblem> problems =
        [
            .. request.Validation.Where(p => p.IsError).Select(p => new PlannedProblem(p.Message, p.Path)),
            new PlannedProblem($"No hosts known in lattice {request.Lattice} ({request.LatticeId}): the portal observes no hosts there yet, so no commands can be planned."),
        ];
        return Task.FromResult(new DeploymentPlan([], problems, Name));
    }
}
