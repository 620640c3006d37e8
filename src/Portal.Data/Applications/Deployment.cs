namespace Portal.Data.Applications;

/// <summary>
/// The desired state of one application in one lattice ("version V is deployed to L", or
/// undeployed), and the last status the reconciler reported for it, in wadm's words.
/// One row per application and lattice; deploying again changes the row.
/// </summary>
public sealed class Deployment : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public Guid ApplicationId { get; set; }

    public Application? Application { get; set; }

    public Guid LatticeId { get; set; }

    public Tenants.Lattice? Lattice { get; set; }

    /// <summary>The version that should run; null once undeployed.</summary>
    public Guid? DesiredVersionId { get; set; }

    public ApplicationVersion? DesiredVersion { get; set; }

    /// <summary>The version that was desired before the current one: what a rollback returns to.</summary>
    public Guid? PreviousVersionId { get; set; }

    public ApplicationVersion? PreviousVersion { get; set; }

    public DesiredState DesiredState { get; set; }

    public DeploymentStatusType StatusType { get; set; }

    public string? StatusMessage { get; set; }

    /// <summary>Per-scaler statuses as wadm reports them: <c>[{id, kind, name, status:{type, message}}]</c>.</summary>
    public string Scalers { get; set; } = "[]";

    public DateTimeOffset StatusUpdatedAt { get; set; }

    public Guid? DeployedById { get; set; }

    public required string DeployedBy { get; set; }

    /// <summary>When the desired state last changed (deploy, undeploy or rollback).</summary>
    public DateTimeOffset DeployedAt { get; set; }
}
