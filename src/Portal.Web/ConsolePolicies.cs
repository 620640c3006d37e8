using Microsoft.AspNetCore.Authorization;
using Portal.Api.Identity;

namespace Portal.Web;

/// <summary>Authorization policies of console pages that are not tenant-scoped.</summary>
internal static class ConsolePolicies
{
    public const string PlatformAdmin = "platform-admin";

    public static AuthorizationBuilder AddConsolePolicies(this AuthorizationBuilder builder) =>
        builder.AddPolicy(PlatformAdmin, policy => policy.RequireAuthenticatedUser().RequireClaim(PortalClaims.PlatformAdmin, "true"));
}
