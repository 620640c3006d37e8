using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Applications;

namespace Portal.Api.Deployments;

/// <summary>A deployment joined with the names people see (application, lattice, versions).</summary>
public sealed record DeploymentRow(
    Guid ApplicationId,
    string Application,
    string Lattice,
    string LatticeId,
    Guid? DesiredVersionId,
    string? Version,
    string? PreviousVersion,
    DesiredState DesiredState,
    DeploymentStatusType StatusType,
    string? StatusMessage,
    string Scalers,
    DateTimeOffset StatusUpdatedAt,
    string DeployedBy,
    DateTimeOffset DeployedAt);

/// <summary>Reads deployments for the Applications and Deployments features alike.</summary>
public static class DeploymentQueries
{
    public static async Task<List<DeploymentRow>> ForApplicationsAsync(PortalDbContext db, IReadOnlyCollection<Guid> applicationIds, CancellationToken cancellationToken) =>
        await db.Deployments.AsNoTracking()
            .Where(d => applicationIds.Contains(d.ApplicationId))
            .OrderBy(d => d.Lattice!.Name)
            .Select(d => new DeploymentRow(
                d.ApplicationId, d.Application!.Name, d.Lattice!.Name, d.Lattice.LatticeId, d.DesiredVersionId,
                d.DesiredVersion!.Version, d.PreviousVersion!.Version, d.DesiredState, d.StatusType, d.StatusMessage, d.Scalers,
                d.StatusUpdatedAt, d.DeployedBy, d.DeployedAt))
            .ToListAsync(cancellationToken);

    /// <summary>wadm's words: lower-case status types.</summary>
    public static string Word(DeploymentStatusType type) => type.ToString().ToLowerInvariant();

    public static string Word(DesiredState state) => state.ToString().ToLowerInvariant();

    public static StatusWords Status(DeploymentRow d) => new(Word(d.StatusType), string.IsNullOrEmpty(d.StatusMessage) ? null : d.StatusMessage);

    public static DeploymentSummary ToSummary(DeploymentRow d) => new(d.Lattice, d.Version, Word(d.DesiredState), Status(d));

    public static DeploymentResponse ToResponse(DeploymentRow d) => new(
        d.Application, d.Lattice, d.LatticeId, d.Version, d.PreviousVersion, Word(d.DesiredState), Status(d), Scalers(d.Scalers),
        d.StatusUpdatedAt, d.DeployedBy, d.DeployedAt);

    public static JsonElement Scalers(string json)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        return document.RootElement.Clone();
    }
}
