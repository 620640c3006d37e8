using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Portal.Api.Audit;
using Portal.Api.Http;
using Portal.Api.Identity;
using Portal.Api.Lattices.Credentials;
using Portal.Api.Tenants.Access;
using Portal.Api.Tokens;
using Portal.Data;

namespace Portal.Api.Artifacts.Oci;

/// <summary>What a registry request wants to do with a repository.</summary>
public enum OciAccess
{
    Pull,
    Push,
}

/// <summary>An authenticated registry caller, allowed the access it asked for in one tenant.</summary>
public sealed record OciCaller(Guid TenantId, string TenantSlug, AuditActor Actor, Guid? UserId, string Name);

/// <summary>
/// Registry authentication. Clients send HTTP Basic (what <c>docker login</c>, <c>wash</c>, <c>oras</c>
/// and wasmCloud hosts send) or a bearer token:
/// <list type="bullet">
/// <item>any user name and a personal access token (<c>lpat_…</c>) as the password, or
/// <c>Authorization: Bearer lpat_…</c>: the token's user, with its role in the tenant and the
/// token's scopes (pull needs <c>read</c>; push needs <c>write</c> and Developer or above);</item>
/// <item>a host credential: its NATS user name and password. It may pull its own tenant's
/// repositories and nothing else.</item>
/// </list>
/// No credentials, or wrong ones: 401 with a Basic challenge. A repository of a tenant the caller
/// cannot see: 404 NAME_UNKNOWN, whether or not it exists (as 404 over REST).
/// </summary>
public sealed class OciAuthenticator(PortalDbContext db, TenantAccess tenants, IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Challenge = "Basic realm=\"Lattice Portal\"";
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private abstract record Identity;

    private sealed record TokenIdentity(CurrentPrincipal Principal) : Identity;

    private sealed record HostIdentity(Guid CredentialId, Guid TenantId, string NatsUser) : Identity;

    /// <summary>Checks the credentials only (<c>GET /v2/</c>); throws 401 without valid ones.</summary>
    public async Task AuthenticateAsync(HttpContext http) => await IdentifyAsync(http);

    /// <summary>Authenticates the caller and checks it may <paramref name="access"/> repositories of <paramref name="tenantSlug"/>.</summary>
    public async Task<OciCaller> AuthorizeAsync(HttpContext http, string tenantSlug, string repository, OciAccess access)
    {
        var identity = await IdentifyAsync(http);
        switch (identity)
        {
            case TokenIdentity token:
            {
                TenantContext context;
                try
                {
                    context = await tenants.ResolveAsync(tenantSlug, token.Principal, http.RequestAborted);
                }
                catch (NotFoundException)
                {
                    throw OciException.NameUnknown(repository);
                }

                var permission = access == OciAccess.Pull ? TenantPermission.Read : TenantPermission.Write;
                try
                {
                    context.Demand(permission);
                }
                catch (ForbiddenException e)
                {
                    throw OciException.Denied($"{(access == OciAccess.Pull ? "pull" : "push")} of {repository} refused: {e.Message}");
                }

                return new OciCaller(context.TenantId, context.Slug, token.Principal.ToAuditActor(), token.Principal.UserId, token.Principal.Name);
            }

            case HostIdentity host:
            {
                var slug = await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == host.TenantId).Select(t => t.Slug).SingleOrDefaultAsync(http.RequestAborted);
                if (slug != tenantSlug) throw OciException.NameUnknown(repository);
                if (access == OciAccess.Push)
                {
                    throw OciException.Denied($"push of {repository} refused: host credentials may only pull. Push with a personal access token that has the write scope.");
                }

                db.TenantScope = host.TenantId;
                var actor = new AuditActor("host-credential", host.CredentialId.ToString(), host.NatsUser, http.Connection.RemoteIpAddress?.ToString(),
                    UserAgent(http), System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier);
                return new OciCaller(host.TenantId, slug, actor, null, host.NatsUser);
            }

            default:
                throw Unauthorized("authentication required");
        }
    }

    private async Task<Identity> IdentifyAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return await TokenAsync(http, header["Bearer ".Length..].Trim()) ?? throw Unauthorized("the bearer token is not a Lattice Portal token (lpat_…)");
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            throw Unauthorized("authentication required: HTTP Basic with a personal access token (lpat_…) as the password, or a host credential's NATS user and password");
        }

        string user, password;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':');
            if (colon < 0) throw new FormatException();
            (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            throw Unauthorized("the Basic credentials are not base64 of user:password");
        }

        if (password.StartsWith(TokenSecret.Prefix, StringComparison.Ordinal))
        {
            return await TokenAsync(http, password) ?? throw Unauthorized("the personal access token is not valid");
        }

        return await HostCredentialAsync(user, password, http.RequestAborted) ?? throw Unauthorized("unknown user or wrong password");
    }

    /// <summary>A personal access token, checked as the REST API checks it: hash, revocation, expiry, lockout.</summary>
    private async Task<TokenIdentity?> TokenAsync(HttpContext http, string text)
    {
        if (!TokenSecret.TryParse(text, out var id, out var secret)) return null;
        var token = await db.PersonalAccessTokens.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.Id == id)
            .Select(t => new { t.SecretHash, t.TenantId, t.Scopes, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, t.UserId, t.User!.Email, t.User.IsPlatformAdmin, t.User.LockoutEnd })
            .SingleOrDefaultAsync(http.RequestAborted);
        var now = clock.GetUtcNow();
        if (token is null || !TokenSecret.Matches(secret, token.SecretHash)) return null;
        if (token.RevokedAt is not null) throw Unauthorized("the token was revoked");
        if (token.ExpiresAt <= now) throw Unauthorized("the token has expired");
        if (token.LockoutEnd > now) throw Unauthorized("the token's user is locked out");
        if (token.LastUsedAt is null || now - token.LastUsedAt > LastUsedResolution)
        {
            await db.PersonalAccessTokens.IgnoreQueryFilters().Where(t => t.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), http.RequestAborted);
        }

        var principal = new CurrentPrincipal(
            token.UserId, token.Email ?? token.UserId.ToString(), id, token.TenantId, TokenScopes.Parse(token.Scopes), token.IsPlatformAdmin,
            http.Connection.RemoteIpAddress?.ToString(), UserAgent(http), System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier);
        return new TokenIdentity(principal);
    }

    /// <summary>A host credential: the NATS user, its stored (protected) password compared in constant time.</summary>
    private async Task<HostIdentity?> HostCredentialAsync(string user, string password, CancellationToken cancellationToken)
    {
        if (user.Length == 0) return null;
        var credential = await db.HostCredentials.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.NatsUser == user && c.RevokedAt == null)
            .Select(c => new { c.Id, c.TenantId, c.ProtectedPassword })
            .SingleOrDefaultAsync(cancellationToken);
        if (credential is null) return null;
        string stored;
        try
        {
            stored = protection.CreateProtector(NatsAuthConfigurator.ProtectorPurpose).Unprotect(credential.ProtectedPassword);
        }
        catch (CryptographicException)
        {
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(password))
            ? new HostIdentity(credential.Id, credential.TenantId, user)
            : null;
    }

    private static string? UserAgent(HttpContext http) =>
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 400)] : null;

    private static OciException Unauthorized(string message) => new(401, OciErrorCodes.Unauthorized, message);
}
