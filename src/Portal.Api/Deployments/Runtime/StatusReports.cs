using System.Text.Json;
using Portal.Data.Applications;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Deployments.Runtime;

/// <summary>The reconciler's wadm status as the row stores it.</summary>
public static class StatusReports
{
    public static DeploymentStatusReport From(AppStatus status) => new(
        Enum.Parse<DeploymentStatusType>(status.Status.Type.ToString()),
        status.Status.Message.Length == 0 ? null : status.Status.Message,
        JsonSerializer.SerializeToElement(status.Scalers ?? []));
}
