using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Api.Applications;
using Portal.Data;
using Portal.Data.Applications;

namespace Portal.Api.Deployments;

/// <summary>A status the reconciler computed for one application in one lattice (wadm's aggregate and per-scaler statuses).</summary>
/// <param name="Scalers">wadm's scaler statuses: <c>[{id, kind, name, status:{type, message}}]</c>, stored as given.</param>
public sealed record DeploymentStatusReport(DeploymentStatusType Type, string? Message, JsonElement? Scalers = null);

/// <summary>
/// The reconciler's write path into the system of record. It identifies a deployment as wadm does:
/// lattice id (wire, platform-unique) and application name. Status is observed state, not a
/// person's change: no audit event; a status-type change adds a <c>status-changed</c> timeline
/// entry, and <see cref="RecordEventAsync"/> adds the others (command-sent, event-received,
/// host-lost, repaired). Runs outside any request, so it reads across tenants on purpose.
/// </summary>
public sealed class DeploymentStatusWriter(PortalDbContext db, ApplicationTimeline timeline, TimeProvider clock)
{
    public const string Actor = "reconciler";

    /// <summary>Stores the status if it differs from the last one; returns whether anything was written.</summary>
    public async Task<bool> RecordStatusAsync(string latticeId, string application, DeploymentStatusReport report, CancellationToken cancellationToken = default)
    {
        var row = await FindAsync(latticeId, application, cancellationToken);
        if (row is null) return false;
        var scalers = report.Scalers?.GetRawText() ?? "[]";
        var (typeBefore, messageBefore) = (row.StatusType, row.StatusMessage);
        if (typeBefore == report.Type && messageBefore == report.Message && SameJson(row.Scalers, scalers)) return false;

        row.StatusType = report.Type;
        row.StatusMessage = report.Message;
        row.Scalers = scalers;
        row.StatusUpdatedAt = clock.GetUtcNow();
        if (typeBefore != report.Type)
        {
            timeline.Add(row.TenantId, row.ApplicationId, ApplicationEventKinds.StatusChanged, Actor,
                $"{DeploymentQueries.Word(typeBefore)} → {DeploymentQueries.Word(report.Type)}{(string.IsNullOrEmpty(report.Message) ? "" : ": " + report.Message)}",
                row.Lattice!.Name, data: new { from = DeploymentQueries.Word(typeBefore), to = DeploymentQueries.Word(report.Type), message = report.Message });
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Adds a timeline entry of <paramref name="kind"/> (see <see cref="ApplicationEventKinds"/>) with optional JSON data.</summary>
    public async Task<bool> RecordEventAsync(string latticeId, string application, string kind, string message, object? data = null, CancellationToken cancellationToken = default)
    {
        var row = await FindAsync(latticeId, application, cancellationToken);
        if (row is null) return false;
        timeline.Add(row.TenantId, row.ApplicationId, kind, Actor, message, row.Lattice!.Name, data: data);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Every deployment the reconciler should drive (desired state per lattice), across tenants.</summary>
    public async Task<IReadOnlyList<DesiredDeployment>> DesiredAsync(string? latticeId = null, CancellationToken cancellationToken = default) =>
        await db.Deployments.IgnoreQueryFilters().AsNoTracking()
            .Where(d => latticeId == null || d.Lattice!.LatticeId == latticeId)
            .Select(d => new DesiredDeployment(d.TenantId, d.Lattice!.LatticeId, d.Application!.Name, d.DesiredState, d.DesiredVersion!.Version, d.DesiredVersion.Canonical))
            .ToListAsync(cancellationToken);

    private Task<Deployment?> FindAsync(string latticeId, string application, CancellationToken cancellationToken) =>
        db.Deployments.IgnoreQueryFilters().Include(d => d.Lattice)
            .SingleOrDefaultAsync(d => d.Lattice!.LatticeId == latticeId && d.Application!.Name == application, cancellationToken);

    private static bool SameJson(string a, string b)
    {
        using var x = JsonDocument.Parse(a);
        using var y = JsonDocument.Parse(b);
        return JsonElement.DeepEquals(x.RootElement, y.RootElement);
    }
}

/// <summary>One deployment as the reconciler reads it: the canonical manifest JSON of the desired version (null when undeployed).</summary>
public sealed record DesiredDeployment(Guid TenantId, string LatticeId, string Application, DesiredState DesiredState, string? Version, string? CanonicalManifest);
