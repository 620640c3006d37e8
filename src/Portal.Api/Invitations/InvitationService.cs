using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Identity;
using Portal.Api.Members;
using Portal.Api.Tenants.Access;
using Portal.Api.Tokens;
using Portal.Data;
using Portal.Data.Tenants;

namespace Portal.Api.Invitations;

/// <summary>Invitations by link: an Admin invites an e-mail address with a role; the invitee accepts before expiry.</summary>
public sealed class InvitationService(PortalDbContext db, AuditWriter audit, TimeProvider clock, IOptions<PortalOptions> options)
{
    public async Task<CreatedInvitationResponse> CreateAsync(TenantContext context, CreateInvitationRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Admin);
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.Email) || !MailAddress.TryCreate(request.Email.Trim(), out _)) errors.Add("email", "A valid e-mail address is required.");
        errors.When(!MemberService.TryParseRole(request.Role, out var role), "role", MemberService.RoleError);
        errors.ThrowIfAny();
        if (role == TenantRole.Owner && context.Role != TenantRole.Owner) throw new ForbiddenException("Only an Owner can invite another Owner.");

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var now = clock.GetUtcNow();
        var invitation = new Invitation
        {
            TenantId = context.TenantId,
            Email = request.Email!.Trim().ToLowerInvariant(),
            Role = role,
            SecretHash = TokenSecret.Hash(secret),
            InvitedBy = context.Principal.UserId,
            CreatedAt = now,
            ExpiresAt = now.AddDays(options.Value.InvitationLifetimeDays),
        };
        return await db.InTransactionAsync(
            async () =>
            {
                db.Invitations.Add(invitation);
                await audit.AppendAsync(new AuditEntry(context.TenantId, "invitation.create", "invitation", invitation.Email, After: new { invitation.Email, role = role.ToString(), invitation.ExpiresAt }), context.Principal.ToAuditActor(), cancellationToken);
                return new CreatedInvitationResponse(ToResponse(invitation, now), $"{options.Value.PublicUrl.TrimEnd('/')}/invitations/{secret}");
            },
            cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<InvitationResponse>> ListAsync(TenantContext context, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Admin);
        var now = clock.GetUtcNow();
        var rows = await db.Invitations.AsNoTracking().Where(i => i.TenantId == context.TenantId).OrderByDescending(i => i.CreatedAt).ToListAsync(cancellationToken);
        return rows.Select(i => ToResponse(i, now)).ToList();
    }

    public async Task RevokeAsync(TenantContext context, Guid id, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Admin);
        await db.InTransactionAsync(
            async () =>
            {
                var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw new NotFoundException("No such invitation.");
                if (invitation.AcceptedAt is not null) throw new ConflictException("This invitation was already accepted.");
                if (invitation.RevokedAt is not null) return true;
                invitation.RevokedAt = clock.GetUtcNow();
                await audit.AppendAsync(new AuditEntry(context.TenantId, "invitation.revoke", "invitation", invitation.Email), context.Principal.ToAuditActor(), cancellationToken);
                return true;
            },
            cancellationToken: cancellationToken);
    }

    /// <summary>The tenant and role a link invites to, or null when no invitation has that secret.</summary>
    public async Task<InvitationPreview?> PreviewAsync(string secret, CancellationToken cancellationToken = default)
    {
        var hash = TokenSecret.Hash(secret);
        var invitation = await db.Invitations.IgnoreQueryFilters().AsNoTracking().Include(i => i.Tenant).SingleOrDefaultAsync(i => i.SecretHash == hash, cancellationToken);
        return invitation is null ? null : new InvitationPreview(invitation.Tenant!.DisplayName, invitation.Role.ToString(), ToResponse(invitation, clock.GetUtcNow()).Status);
    }

    /// <summary>Accepts an invitation for the signed-in user. The link's secret is the only proof needed.</summary>
    public async Task<AcceptedInvitationResponse> AcceptAsync(CurrentPrincipal principal, string secret, CancellationToken cancellationToken = default)
    {
        // A token is bound to one tenant; joining another through it needs the token's admin scope.
        if (principal.TokenId is not null && !principal.Scopes.Has(TokenScope.Admin))
        {
            throw new ForbiddenException("Accepting an invitation with a token needs the 'admin' scope.");
        }

        var hash = TokenSecret.Hash(secret);
        var now = clock.GetUtcNow();
        return await db.InTransactionAsync(
            async () =>
            {
                var invitation = await db.Invitations.IgnoreQueryFilters().Include(i => i.Tenant).SingleOrDefaultAsync(i => i.SecretHash == hash, cancellationToken)
                    ?? throw new NotFoundException("This invitation link is not valid.");
                if (invitation.RevokedAt is not null) throw new ConflictException("This invitation was revoked.");
                if (invitation.AcceptedAt is not null) throw new ConflictException("This invitation was already used.");
                if (invitation.ExpiresAt <= now) throw new ConflictException("This invitation has expired. Ask for a new one.");
                if (await db.Memberships.IgnoreQueryFilters().AnyAsync(m => m.TenantId == invitation.TenantId && m.UserId == principal.UserId, cancellationToken))
                {
                    throw new ConflictException($"You are already a member of {invitation.Tenant!.Slug}.");
                }

                // Claim the invitation atomically: of two concurrent accepts, exactly one updates the row.
                var claimed = await db.Invitations.IgnoreQueryFilters()
                    .Where(i => i.Id == invitation.Id && i.AcceptedAt == null && i.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now), cancellationToken);
                if (claimed != 1) throw new ConflictException("This invitation was already used.");
                db.Memberships.Add(new Membership { TenantId = invitation.TenantId, UserId = principal.UserId, Role = invitation.Role, CreatedAt = now });
                await audit.AppendAsync(new AuditEntry(invitation.TenantId, "invitation.accept", "member", principal.Name, After: new { role = invitation.Role.ToString() }), principal.ToAuditActor(), cancellationToken);
                return new AcceptedInvitationResponse(invitation.Tenant!.Slug, invitation.Role.ToString());
            },
            conflict: "You are already a member of this tenant.",
            cancellationToken: cancellationToken);
    }

    private static InvitationResponse ToResponse(Invitation i, DateTimeOffset now) => new(
        i.Id, i.Email, i.Role.ToString(), i.CreatedAt, i.ExpiresAt,
        i.AcceptedAt is not null ? "accepted" : i.RevokedAt is not null ? "revoked" : i.ExpiresAt <= now ? "expired" : "pending");
}
