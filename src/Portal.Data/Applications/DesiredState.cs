namespace Portal.Data.Applications;

/// <summary>What a deployment asks of its lattice.</summary>
public enum DesiredState
{
    Deployed,
    Undeployed,
}
