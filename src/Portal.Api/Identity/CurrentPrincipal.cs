using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Portal.Api.Audit;
using Portal.Api.Tokens;
using Portal.Data.Tenants;

namespace Portal.Api.Identity;

/// <summary>
/// Who is asking: a signed-in user (console) or a user's personal access token (REST). A token is
/// bound to one tenant and limited by its scopes; a console session has every scope its roles allow.
/// </summary>
public sealed record CurrentPrincipal(
    Guid UserId,
    string Name,
    Guid? TokenId,
    Guid? TokenTenantId,
    TokenScopes Scopes,
    bool IsPlatformAdmin,
    string? IpAddress = null,
    string? UserAgent = null,
    string? CorrelationId = null)
{
    /// <summary>
    /// For a token: its tenant's slug and the user's role there, read in the same query that
    /// checked the token on this request; null when the user is no longer a member.
    /// </summary>
    public TokenMembership? TokenMembership { get; init; }

    public static CurrentPrincipal? From(ClaimsPrincipal user, HttpContext? http = null)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        if (!Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)) return null;
        Guid? tokenId = Guid.TryParse(user.FindFirstValue(PortalClaims.TokenId), out var t) ? t : null;
        Guid? tokenTenant = Guid.TryParse(user.FindFirstValue(PortalClaims.TokenTenant), out var tt) ? tt : null;
        var scopes = tokenId is null ? TokenScopes.All : TokenScopes.Parse(user.FindFirstValue(PortalClaims.Scope) ?? "");
        return new CurrentPrincipal(
            userId,
            user.FindFirstValue(ClaimTypes.Email) ?? user.Identity.Name ?? userId.ToString(),
            tokenId,
            tokenTenant,
            scopes,
            user.HasClaim(PortalClaims.PlatformAdmin, "true"),
            http?.Connection.RemoteIpAddress?.ToString(),
            http?.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 400)] : null,
            System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http?.TraceIdentifier)
        {
            TokenMembership = user.FindFirstValue(PortalClaims.TokenTenantSlug) is { } slug
                && Enum.TryParse<TenantRole>(user.FindFirstValue(PortalClaims.TokenRole), out var role) && Enum.IsDefined(role)
                ? new TokenMembership(slug, role)
                : null,
        };
    }

    /// <summary>How this principal appears in audit events.</summary>
    public AuditActor ToAuditActor() => TokenId is { } token
        ? new AuditActor("token", token.ToString(), Name, IpAddress, UserAgent, CorrelationId)
        : new AuditActor("user", UserId.ToString(), Name, IpAddress, UserAgent, CorrelationId);
}

/// <summary>A token's tenant and its user's role in it.</summary>
public sealed record TokenMembership(string Slug, TenantRole Role);
