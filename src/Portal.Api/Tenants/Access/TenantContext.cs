using Portal.Api.Http;
using Portal.Api.Identity;
using Portal.Data.Tenants;

namespace Portal.Api.Tenants.Access;

/// <summary>
/// The tenant a request acts on, resolved once from the route (REST) or the switcher (console),
/// with the caller's role in it. Services demand a permission before they act.
/// </summary>
public sealed record TenantContext(Guid TenantId, string Slug, TenantRole Role, CurrentPrincipal Principal)
{
    public bool Can(TenantPermission permission) =>
        Role.Allows(permission) && Principal.Scopes.Has(permission.RequiredScope());

    public void Demand(TenantPermission permission)
    {
        if (!Role.Allows(permission))
        {
            throw new ForbiddenException($"Your role in {Slug} is {Role}; this needs {permission.MinimumRole()} or higher.");
        }

        if (!Principal.Scopes.Has(permission.RequiredScope()))
        {
            throw new ForbiddenException($"This token lacks the '{permission.RequiredScope().ToString().ToLowerInvariant()}' scope.");
        }
    }
}
