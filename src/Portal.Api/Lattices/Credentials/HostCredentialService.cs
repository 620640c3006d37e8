using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Tenants;

namespace Portal.Api.Lattices.Credentials;

/// <summary>
/// Host join credentials: a NATS user per host (or group of hosts) that reaches one lattice only.
/// Issuing or revoking one rewrites nats-server's accounts and reloads it.
/// </summary>
public sealed partial class HostCredentialService(
    PortalDbContext db,
    AuditWriter audit,
    NatsAuthConfigurator nats,
    IDataProtectionProvider protection,
    IOptions<NatsOptions> natsOptions,
    TimeProvider clock)
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,59}$")]
    private static partial Regex NamePattern();

    public async Task<IReadOnlyList<HostCredentialResponse>> ListAsync(TenantContext context, string latticeName, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Admin);
        var lattice = await FindLatticeAsync(latticeName, cancellationToken);
        return await db.HostCredentials.AsNoTracking().Where(c => c.LatticeRowId == lattice.Id).OrderByDescending(c => c.CreatedAt)
            .Select(c => new HostCredentialResponse(c.Id, c.Name, c.NatsUser, c.CreatedAt, c.RevokedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<IssuedCredentialResponse> IssueAsync(TenantContext context, string latticeName, IssueCredentialRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Admin);
        if (!nats.Enabled)
        {
            throw new PortalProblemException(503, "Host credentials are off",
                "This portal does not manage nats-server's accounts. Set Nats:AccountsFile and Nats:PidFile (./portal up does).");
        }

        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw ValidationException.For("name", "Name is required: up to 60 letters, digits, spaces, dots, dashes or underscores.");
        }

        var lattice = await FindLatticeAsync(latticeName, cancellationToken);
        var password = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        var credential = new HostCredential
        {
            TenantId = context.TenantId,
            LatticeRowId = lattice.Id,
            Name = name,
            NatsUser = $"h_{lattice.LatticeId}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}",
            ProtectedPassword = protection.CreateProtector(NatsAuthConfigurator.ProtectorPurpose).Protect(password),
            CreatedAt = clock.GetUtcNow(),
        };
        var response = await db.InTransactionAsync(
            async () =>
            {
                db.HostCredentials.Add(credential);
                await audit.AppendAsync(new AuditEntry(context.TenantId, "credential.issue", "host-credential", credential.NatsUser, After: new { credential.Name, lattice = lattice.Name }), context.Principal.ToAuditActor(), cancellationToken);
                return ToResponse(credential);
            },
            cancellationToken: cancellationToken);
        // The credential is committed and its password exists only in this answer: a failure to
        // reach nats-server now must not lose it. The next change or `portal-web nats-config` retries.
        await nats.TryApplyAsync(cancellationToken);

        var url = new Uri(natsOptions.Value.HostUrl ?? natsOptions.Value.Url);
        var command = $"portal-host --nats-host {url.Host} --nats-port {url.Port} --lattice {lattice.LatticeId} --nats-user {credential.NatsUser} --nats-password {password}";
        return new IssuedCredentialResponse(response, url.ToString().TrimEnd('/'), password, command);
    }

    public async Task RevokeAsync(TenantContext context, string latticeName, Guid id, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Admin);
        var lattice = await FindLatticeAsync(latticeName, cancellationToken);
        await db.InTransactionAsync(
            async () =>
            {
                var credential = await db.HostCredentials.SingleOrDefaultAsync(c => c.Id == id && c.LatticeRowId == lattice.Id, cancellationToken)
                    ?? throw new NotFoundException("No such credential in this environment.");
                if (credential.RevokedAt is not null) return true;
                credential.RevokedAt = clock.GetUtcNow();
                await audit.AppendAsync(new AuditEntry(context.TenantId, "credential.revoke", "host-credential", credential.NatsUser, new { credential.Name }), context.Principal.ToAuditActor(), cancellationToken);
                return true;
            },
            cancellationToken: cancellationToken);
        await nats.ApplyAsync(cancellationToken);
    }

    private async Task<Portal.Data.Tenants.Lattice> FindLatticeAsync(string name, CancellationToken cancellationToken) =>
        await db.Lattices.AsNoTracking().SingleOrDefaultAsync(l => l.Name == name, cancellationToken)
        ?? throw new NotFoundException($"No environment '{name}'.");

    private static HostCredentialResponse ToResponse(HostCredential c) => new(c.Id, c.Name, c.NatsUser, c.CreatedAt, c.RevokedAt);
}
