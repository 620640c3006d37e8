using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data;

namespace Portal.Api.Deployments.Runtime;

/// <summary>
/// After a deploy, undeploy, rollback or delete commits: wake this replica's reconciler of that
/// lattice (when it leads) and NOTIFY the others, so the leader acts at once wherever the request
/// landed. Losing the signal loses nothing: the leader re-reads the rows on every pass.
/// </summary>
internal sealed partial class ReconcilerSignal(ReconcilerService service, IServiceScopeFactory scopes, ILogger<ReconcilerSignal> logger) : IDeploymentSignal
{
    public async Task DeploymentChangedAsync(DeploymentChange change, CancellationToken cancellationToken = default)
    {
        service.Wake(change.LatticeId);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({ReconcilerService.NotifyChannel}, {change.LatticeId})", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotifyFailed(change.LatticeId, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not notify other replicas of a deployment change in {Lattice}: {Error} (the leader's next pass picks it up)")]
    private partial void LogNotifyFailed(string lattice, string error);
}
