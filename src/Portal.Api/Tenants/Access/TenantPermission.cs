using Portal.Api.Tokens;
using Portal.Data.Tenants;

namespace Portal.Api.Tenants.Access;

/// <summary>The named requirements every tenant operation is decided by: a minimum role and a token scope.</summary>
public enum TenantPermission
{
    /// <summary>See the tenant's resources. Any member; scope <c>read</c>.</summary>
    Read,

    /// <summary>Change resources (upload, edit applications). Developer and up; scope <c>write</c>.</summary>
    Write,

    /// <summary>Deploy and undeploy. Developer and up; scope <c>deploy</c>.</summary>
    Deploy,

    /// <summary>Manage members, invitations, lattices and credentials. Admin and up; scope <c>admin</c>.</summary>
    Admin,

    /// <summary>Change ownership-level settings. Owner only; scope <c>admin</c>.</summary>
    Owner,
}

public static class TenantPermissions
{
    public static TenantRole MinimumRole(this TenantPermission permission) => permission switch
    {
        TenantPermission.Read => TenantRole.Viewer,
        TenantPermission.Write or TenantPermission.Deploy => TenantRole.Developer,
        TenantPermission.Admin => TenantRole.Admin,
        _ => TenantRole.Owner,
    };

    public static TokenScope RequiredScope(this TenantPermission permission) => permission switch
    {
        TenantPermission.Read => TokenScope.Read,
        TenantPermission.Write => TokenScope.Write,
        TenantPermission.Deploy => TokenScope.Deploy,
        _ => TokenScope.Admin,
    };

    /// <summary>Roles are ordered Owner (0) to Viewer (3): a lower number is more privileged.</summary>
    public static bool Allows(this TenantRole role, TenantPermission permission) => role <= permission.MinimumRole();
}
