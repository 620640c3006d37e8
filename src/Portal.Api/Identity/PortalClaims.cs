namespace Portal.Api.Identity;

/// <summary>Claim types the portal adds to a signed-in principal.</summary>
public static class PortalClaims
{
    public const string TokenId = "portal:token";
    public const string TokenTenant = "portal:token-tenant";
    public const string Scope = "portal:scope";
    public const string PlatformAdmin = "portal:platform-admin";

    /// <summary>The authentication scheme of personal access tokens.</summary>
    public const string BearerScheme = "PortalToken";
}
