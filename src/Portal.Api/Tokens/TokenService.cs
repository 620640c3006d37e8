using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Tokens;

namespace Portal.Api.Tokens;

/// <summary>
/// Personal access tokens: a member issues tokens for themself in one tenant. A token can never
/// do more than its owner's role allows: scopes only narrow it.
/// </summary>
public sealed class TokenService(PortalDbContext db, AuditWriter audit, TimeProvider clock, IOptions<PortalOptions> options)
{
    public async Task<CreatedTokenResponse> CreateAsync(TenantContext context, CreateTokenRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        // A token may not mint a broader token than itself.
        if (context.Principal.TokenId is not null) context.Demand(TenantPermission.Admin);

        var errors = new FieldErrors();
        var name = request.Name?.Trim();
        errors.When(string.IsNullOrEmpty(name), "name", "Name is required.")
              .When(name is { Length: > 100 }, "name", "Name must be at most 100 characters.");
        var scopes = new TokenScopes(TokenScope.None);
        try { scopes = TokenScopes.Parse(string.Join(' ', request.Scopes ?? [])); }
        catch (FormatException e) { errors.Add("scopes", e.Message); }
        if (request.Scopes is null || request.Scopes.Count == 0) errors.Add("scopes", "Choose at least one scope: read, write, deploy, admin.");
        var maxDays = options.Value.MaxTokenLifetimeDays;
        var days = request.ExpiresInDays ?? Math.Min(90, maxDays);
        errors.When(days < 1 || days > maxDays, "expiresInDays", $"Expiry must be between 1 and {maxDays} days.");
        errors.ThrowIfAny();
        if (context.Principal.TokenId is not null && (scopes.Value & ~context.Principal.Scopes.Value) != TokenScope.None)
        {
            throw new ForbiddenException("A token can only create tokens with scopes it has itself.");
        }

        var now = clock.GetUtcNow();
        var token = new PersonalAccessToken
        {
            TenantId = context.TenantId,
            UserId = context.Principal.UserId,
            Name = name!,
            Scopes = scopes.ToString(),
            SecretHash = "",
            Prefix = "",
            CreatedAt = now,
            ExpiresAt = now.AddDays(days),
        };
        var (text, hash) = TokenSecret.Create(token.Id);
        token.SecretHash = hash;
        token.Prefix = text[..13];
        return await db.InTransactionAsync(
            async () =>
            {
                db.PersonalAccessTokens.Add(token);
                await audit.AppendAsync(new AuditEntry(context.TenantId, "token.create", "token", token.Id.ToString(), After: new { token.Name, token.Scopes, token.ExpiresAt }), context.Principal.ToAuditActor(), cancellationToken);
                return new CreatedTokenResponse(ToResponse(token, context.Principal.Name), text);
            },
            cancellationToken: cancellationToken);
    }

    /// <summary>Your own tokens; Admins see every member's tokens in the tenant.</summary>
    public async Task<IReadOnlyList<TokenResponse>> ListAsync(TenantContext context, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var all = context.Can(TenantPermission.Admin);
        var rows = await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => all || t.UserId == context.Principal.UserId)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new { Token = t, Owner = t.User!.Email })
            .ToListAsync(cancellationToken);
        return rows.Select(r => ToResponse(r.Token, r.Owner ?? "")).ToList();
    }

    public async Task RevokeAsync(TenantContext context, Guid id, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        await db.InTransactionAsync(
            async () =>
            {
                var token = await db.PersonalAccessTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new NotFoundException("No such token.");
                if (token.UserId != context.Principal.UserId) context.Demand(TenantPermission.Admin);
                if (token.RevokedAt is not null) return true;
                token.RevokedAt = clock.GetUtcNow();
                await audit.AppendAsync(new AuditEntry(context.TenantId, "token.revoke", "token", token.Id.ToString(), new { token.Name }), context.Principal.ToAuditActor(), cancellationToken);
                return true;
            },
            cancellationToken: cancellationToken);
    }

    private static TokenResponse ToResponse(PersonalAccessToken t, string owner) =>
        new(t.Id, t.Name, t.Prefix, TokenScopes.Parse(t.Scopes).ToList(), owner, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
}
