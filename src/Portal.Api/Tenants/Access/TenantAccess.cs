using Microsoft.EntityFrameworkCore;
using Portal.Api.Http;
using Portal.Api.Identity;
using Portal.Data;

namespace Portal.Api.Tenants.Access;

/// <summary>
/// The one place a tenant is resolved for a caller. Unknown tenant, no membership, or a token of
/// another tenant all answer the same 404, so a caller cannot learn which tenants exist. On success
/// the request's DbContext is scoped to the tenant (query filter).
/// </summary>
public sealed class TenantAccess(PortalDbContext db)
{
    public async Task<TenantContext> ResolveAsync(string slug, CurrentPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (principal.TokenTenantId is { } tokenTenantId && principal.TokenMembership is { } membership)
        {
            // A token's membership was read with the token on this request: no second query.
            if (membership.Slug != slug) throw new NotFoundException($"No tenant '{slug}' that you can see.");
            db.TenantScope = tokenTenantId;
            return new TenantContext(tokenTenantId, slug, membership.Role, principal);
        }

        var found = await db.Memberships.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.Tenant!.Slug == slug && m.UserId == principal.UserId)
            .Select(m => new { m.TenantId, m.Role })
            .SingleOrDefaultAsync(cancellationToken);

        if (found is null || (principal.TokenTenantId is { } tokenTenant && tokenTenant != found.TenantId))
        {
            throw new NotFoundException($"No tenant '{slug}' that you can see.");
        }

        db.TenantScope = found.TenantId;
        return new TenantContext(found.TenantId, slug, found.Role, principal);
    }
}
