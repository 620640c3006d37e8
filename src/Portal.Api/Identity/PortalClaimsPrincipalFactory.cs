using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data.Identity;

namespace Portal.Api.Identity;

/// <summary>Adds the e-mail and platform-admin flag to the console's session principal.</summary>
internal sealed class PortalClaimsPrincipalFactory(UserManager<PortalUser> users, RoleManager<IdentityRole<Guid>> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.Email is not null && !identity.HasClaim(c => c.Type == ClaimTypes.Email)) identity.AddClaim(new Claim(ClaimTypes.Email, user.Email));
        identity.AddClaim(new Claim(PortalClaims.PlatformAdmin, user.IsPlatformAdmin ? "true" : "false"));
        return identity;
    }
}
