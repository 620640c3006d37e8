using Microsoft.EntityFrameworkCore;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Tenants;

namespace Portal.Api.Members;

/// <summary>A tenant's members and their roles. A tenant always keeps at least one Owner.</summary>
public sealed class MemberService(PortalDbContext db, AuditWriter audit)
{
    public async Task<IReadOnlyList<MemberResponse>> ListAsync(TenantContext context, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        return await db.Memberships.AsNoTracking()
            .Where(m => m.TenantId == context.TenantId)
            .OrderBy(m => m.Role).ThenBy(m => m.User!.Email)
            .Select(m => new MemberResponse(m.UserId, m.User!.Email ?? "", m.User.DisplayName, m.Role.ToString(), m.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    public const string RoleError = "Role must be one of Owner, Admin, Developer, Viewer.";

    public static bool TryParseRole(string? role, out TenantRole parsed) =>
        Enum.TryParse(role, ignoreCase: true, out parsed) && Enum.IsDefined(parsed) && !int.TryParse(role, out _);

    public static TenantRole ParseRole(string? role) =>
        TryParseRole(role, out var parsed) ? parsed : throw ValidationException.For("role", RoleError);

    public async Task<MemberResponse> ChangeRoleAsync(TenantContext context, Guid userId, ChangeRoleRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Admin);
        var role = ParseRole(request.Role);
        // Only an Owner can make or unmake Owners.
        return await db.InTransactionAsync(
            async () =>
            {
                await LockMembersAsync(context.TenantId, cancellationToken);
                var member = await FindAsync(context, userId, cancellationToken);
                if ((role == TenantRole.Owner || member.Role == TenantRole.Owner) && context.Role != TenantRole.Owner)
                {
                    throw new ForbiddenException("Only an Owner can grant or remove the Owner role.");
                }

                if (member.Role == TenantRole.Owner && role != TenantRole.Owner) await EnsureAnotherOwnerAsync(context, cancellationToken);
                var before = member.Role;
                member.Role = role;
                await audit.AppendAsync(new AuditEntry(context.TenantId, "member.role", "member", member.User!.Email ?? userId.ToString(), new { role = before.ToString() }, new { role = role.ToString() }), context.Principal.ToAuditActor(), cancellationToken);
                return new MemberResponse(member.UserId, member.User.Email ?? "", member.User.DisplayName, role.ToString(), member.CreatedAt);
            },
            cancellationToken: cancellationToken);
    }

    /// <summary>Removes a member; removing yourself is leaving, which any member may do.</summary>
    public async Task RemoveAsync(TenantContext context, Guid userId, CancellationToken cancellationToken = default)
    {
        context.Demand(userId == context.Principal.UserId ? TenantPermission.Read : TenantPermission.Admin);
        await db.InTransactionAsync(
            async () =>
            {
                await LockMembersAsync(context.TenantId, cancellationToken);
                var member = await FindAsync(context, userId, cancellationToken);
                if (member.Role == TenantRole.Owner)
                {
                    if (context.Role != TenantRole.Owner) throw new ForbiddenException("Only an Owner can remove an Owner.");
                    await EnsureAnotherOwnerAsync(context, cancellationToken);
                }

                db.Memberships.Remove(member);
                var action = userId == context.Principal.UserId ? "member.leave" : "member.remove";
                await audit.AppendAsync(new AuditEntry(context.TenantId, action, "member", member.User!.Email ?? userId.ToString(), new { role = member.Role.ToString() }), context.Principal.ToAuditActor(), cancellationToken);
                return true;
            },
            cancellationToken: cancellationToken);
    }

    private async Task<Membership> FindAsync(TenantContext context, Guid userId, CancellationToken cancellationToken) =>
        await db.Memberships.Include(m => m.User).SingleOrDefaultAsync(m => m.TenantId == context.TenantId && m.UserId == userId, cancellationToken)
        ?? throw new NotFoundException("No such member in this tenant.");

    private async Task EnsureAnotherOwnerAsync(TenantContext context, CancellationToken cancellationToken)
    {
        var owners = await db.Memberships.CountAsync(m => m.TenantId == context.TenantId && m.Role == TenantRole.Owner, cancellationToken);
        if (owners <= 1) throw new ConflictException("A tenant needs at least one Owner. Make someone else an Owner first.");
    }

    // Two concurrent demotions of the last two owners must not both succeed.
    private Task LockMembersAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({tenantId.ToString()}, 11))", cancellationToken);
}
