using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Api.Tokens;
using Portal.Data;

namespace Portal.Api.Identity;

/// <summary>
/// Authenticates <c>Authorization: Bearer lpat_…</c> personal access tokens: the row is found by
/// id, the secret compared in constant time with its stored hash, and expiry and revocation
/// checked on every request. Refusals are problem details, like every other API error.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PortalDbContext db,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        if (!TokenSecret.TryParse(header["Bearer ".Length..].Trim(), out var id, out var secret))
        {
            return AuthenticateResult.Fail("The bearer token is not a Lattice Portal token.");
        }

        // One round trip answers both "who is this" and "what may they do in the token's tenant":
        // a token is bound to one tenant, so its membership there is read with it and tenant
        // resolution needs no second query. Still read on every request, so a revoked token or a
        // removed member is refused at once.
        var token = await db.PersonalAccessTokens.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.Id == id)
            .Select(t => new
            {
                t.SecretHash, t.TenantId, t.Scopes, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, t.UserId, t.User!.Email, t.User.IsPlatformAdmin, t.User.LockoutEnd,
                Membership = db.Memberships.IgnoreQueryFilters().Where(m => m.TenantId == t.TenantId && m.UserId == t.UserId)
                    .Select(m => new { m.Tenant!.Slug, m.Role }).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(Context.RequestAborted);
        var now = clock.GetUtcNow();
        if (token is null || !TokenSecret.Matches(secret, token.SecretHash)) return AuthenticateResult.Fail("The token is not valid.");
        if (token.RevokedAt is not null) return AuthenticateResult.Fail("The token was revoked.");
        if (token.ExpiresAt <= now) return AuthenticateResult.Fail("The token has expired.");
        if (token.LockoutEnd > now) return AuthenticateResult.Fail("The token's user is locked out.");

        if (token.LastUsedAt is null || now - token.LastUsedAt > LastUsedResolution)
        {
            // Coarse on purpose: one write a minute per token, not one per request.
            await db.PersonalAccessTokens.IgnoreQueryFilters().Where(t => t.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, token.UserId.ToString()),
                new Claim(ClaimTypes.Email, token.Email ?? ""),
                new Claim(PortalClaims.TokenId, id.ToString()),
                new Claim(PortalClaims.TokenTenant, token.TenantId.ToString()),
                new Claim(PortalClaims.Scope, token.Scopes),
                new Claim(PortalClaims.PlatformAdmin, token.IsPlatformAdmin ? "true" : "false"),
            ],
            Scheme.Name);
        if (token.Membership is { } membership)
        {
            identity.AddClaim(new Claim(PortalClaims.TokenTenantSlug, membership.Slug));
            identity.AddClaim(new Claim(PortalClaims.TokenRole, membership.Role.ToString()));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        Response.ContentType = "application/problem+json";
        var problem = new ProblemDetails
        {
            Status = 401,
            Title = "Unauthorized",
            Detail = result.Failure?.Message ?? "Send a personal access token: Authorization: Bearer lpat_…",
            Instance = Request.Path,
        };
        await Response.WriteAsync(JsonSerializer.Serialize(problem, JsonSerializerOptions.Web));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.ContentType = "application/problem+json";
        var problem = new ProblemDetails { Status = 403, Title = "Forbidden", Detail = "This token may not do that.", Instance = Request.Path };
        await Response.WriteAsync(JsonSerializer.Serialize(problem, JsonSerializerOptions.Web));
    }
}
