using Microsoft.EntityFrameworkCore;
using Portal.Api.Artifacts;
using Portal.Data;
using Portal.Data.Applications;

namespace Portal.Api.Applications;

/// <summary>
/// Which applications have a version deployed that names an image: deleting that artifact would
/// break a running deployment (or its next reconcile), so the delete is refused while they do.
/// </summary>
internal sealed class ApplicationUsage(PortalDbContext db) : IArtifactUsage
{
    public async Task<IReadOnlyList<string>> ApplicationsUsingAsync(Guid tenantId, string imageRef, CancellationToken cancellationToken = default)
    {
        var image = ImageRefs.Normalize(imageRef);
        var users = await db.Deployments.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.DesiredState == DesiredState.Deployed && d.DesiredVersion!.ImageRefs.Contains(image))
            .Select(d => new { Application = d.Application!.Name, Lattice = d.Lattice!.Name, d.DesiredVersion!.Version })
            .ToListAsync(cancellationToken);
        return users.OrderBy(u => u.Application).ThenBy(u => u.Lattice)
            .Select(u => $"{u.Application} {u.Version} (deployed to {u.Lattice})").ToList();
    }
}
