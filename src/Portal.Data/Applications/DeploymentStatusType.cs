namespace Portal.Data.Applications;

/// <summary>wadm's StatusType values (lattice-protocol 4.2); stored and shown in these words, lower-case on the wire.</summary>
public enum DeploymentStatusType
{
    Waiting,
    Undeployed,
    Reconciling,
    Deployed,
    Failed,
    Unhealthy,
}
