using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Api.Tenants;

/// <summary>Answers "which tenants can this user see".</summary>
public sealed class TenantDirectory(PortalDbContext db)
{
    public async Task<IReadOnlyList<TenantSummary>> ForUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        return await db.Memberships
            .Where(m => m.UserId == userId)
            .OrderBy(m => m.Tenant!.DisplayName)
            .Select(m => new TenantSummary(m.Tenant!.Slug, m.Tenant.DisplayName, m.Role.ToString()))
            .ToListAsync(cancellationToken);
    }
}
