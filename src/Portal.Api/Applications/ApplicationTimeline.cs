using System.Text.Json;
using Portal.Data;
using Portal.Data.Applications;

namespace Portal.Api.Applications;

/// <summary>
/// Adds entries to an application's timeline. People's changes add theirs inside the change's
/// transaction (beside the audit event); the reconciler adds its own through
/// <see cref="Deployments.DeploymentStatusWriter"/>.
/// </summary>
public sealed class ApplicationTimeline(PortalDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ApplicationEvent Add(Guid tenantId, Guid applicationId, string kind, string actor, string message, string? lattice = null, string? version = null, object? data = null)
    {
        var entry = new ApplicationEvent
        {
            TenantId = tenantId,
            ApplicationId = applicationId,
            Kind = kind,
            Actor = actor,
            Message = message.Length > 4000 ? message[..4000] : message,
            Lattice = lattice,
            Version = version,
            At = clock.GetUtcNow(),
            Data = data is null ? null : JsonSerializer.Serialize(data, Json),
        };
        db.ApplicationEvents.Add(entry);
        return entry;
    }
}
