namespace Portal.Api.Identity;

/// <summary>Claim types the portal adds to a signed-in principal.</summary>
public static class PortalClaims
{
    public const string TokenId = "portal:token";
    public const string TokenTenant = "portal:token-tenant";
    public const string Scope = "portal:scope";

    /// <summary>The slug of the token's tenant and the user's role there, read when the token is checked (absent if no longer a member).</summary>
    public const string TokenTenantSlug = "portal:token-tenant-slug";
    public const string TokenRole = "portal:token-role";
    public const string PlatformAdmin = "portal:platform-admin";

    /// <summary>The authentication scheme of personal access tokens.</summary>
    public const string BearerScheme = "PortalToken";
}
