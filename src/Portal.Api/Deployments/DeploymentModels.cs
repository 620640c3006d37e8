using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Api.Applications.Manifests;

namespace Portal.Api.Deployments;

/// <summary>Body of deploy and plan: the lattice (environment name) and a version (absent or <c>latest</c>: the newest).</summary>
public sealed record DeployRequest(string? Lattice, string? Version);

/// <summary>Body of undeploy and rollback.</summary>
public sealed record LatticeRequest(string? Lattice);

/// <summary>wadm's status of one thing: <c>{type, message?}</c> with a lower-case type (named apart from Portal.Lattice.Reconciliation.StatusInfo, which the reconciler maps to this).</summary>
public sealed record StatusWords(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message);

/// <summary>wadm's Status object (lattice-protocol 4.2): the aggregate and each scaler's.</summary>
public sealed record WadmStatus(StatusWords Status, JsonElement Scalers);

/// <summary>A deployment as lists show it.</summary>
public sealed record DeploymentSummary(string Lattice, string? Version, string DesiredState, StatusWords Status);

/// <summary>One deployment: what is desired, what was before (rollback's target), and the last reported status.</summary>
public sealed record DeploymentResponse(
    string Application,
    string Lattice,
    string LatticeId,
    string? Version,
    string? PreviousVersion,
    string DesiredState,
    StatusWords Status,
    JsonElement Scalers,
    DateTimeOffset StatusUpdatedAt,
    string DeployedBy,
    DateTimeOffset DeployedAt);

/// <summary>What deploy, undeploy and rollback did; <see cref="Changed"/> is false when the lattice already had that desired state.</summary>
public sealed record DeploymentChangeResponse(DeploymentResponse Deployment, bool Changed, IReadOnlyList<ManifestProblem> Warnings);

/// <summary>The status of an application in one lattice, in wadm's shape under <see cref="Status"/>.</summary>
public sealed record LatticeStatus(string Lattice, string LatticeId, string? Version, string DesiredState, DateTimeOffset UpdatedAt, WadmStatus Status);

public sealed record ApplicationStatusResponse(string Application, IReadOnlyList<LatticeStatus> Lattices);

/// <summary>What a deploy would do: whether the manifest validates now, the commands, and what stands in the way.</summary>
public sealed record DeploymentPlanResponse(
    string Application,
    string Lattice,
    string Version,
    bool Valid,
    IReadOnlyList<ManifestProblem> Validation,
    IReadOnlyList<PlannedChange> Changes,
    IReadOnlyList<PlannedProblem> Problems,
    string Planner);
