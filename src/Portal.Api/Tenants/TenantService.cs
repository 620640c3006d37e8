using Microsoft.EntityFrameworkCore;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Identity;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Billing;
using Portal.Data.Tenants;

namespace Portal.Api.Tenants;

/// <summary>Creating, reading and renaming tenants. The console and the REST API both call this.</summary>
public sealed class TenantService(PortalDbContext db, AuditWriter audit)
{
    public async Task<IReadOnlyList<TenantResponse>> ListMineAsync(CurrentPrincipal principal, CancellationToken cancellationToken = default)
    {
        return await db.Memberships.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId == principal.UserId && (principal.TokenTenantId == null || m.TenantId == principal.TokenTenantId))
            .OrderBy(m => m.Tenant!.Slug)
            .Select(m => new TenantResponse(m.Tenant!.Slug, m.Tenant.DisplayName, m.Role.ToString(), m.Tenant.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<TenantResponse> CreateAsync(CurrentPrincipal principal, CreateTenantRequest request, CancellationToken cancellationToken = default)
    {
        if (principal.TokenId is not null && !principal.Scopes.Has(Tokens.TokenScope.Admin))
        {
            throw new ForbiddenException("Creating a tenant needs a token with the 'admin' scope.");
        }

        var errors = new FieldErrors();
        TenantRules.Validate(errors, request.Slug, request.DisplayName, creating: true);
        errors.ThrowIfAny();

        var tenant = new Tenant { Slug = request.Slug!, DisplayName = request.DisplayName!.Trim() };
        tenant.Members.Add(new Membership { UserId = principal.UserId, Role = TenantRole.Owner });
        return await db.InTransactionAsync(
            async () =>
            {
                db.Tenants.Add(tenant);
                // New tenants start on the default plan (none seeded: they are on it implicitly, see TenantPlans).
                var plan = await db.Plans.AsNoTracking().Where(p => p.IsDefault).Select(p => new { p.Id, p.Name }).SingleOrDefaultAsync(cancellationToken);
                if (plan is not null) db.TenantPlans.Add(new TenantPlan { TenantId = tenant.Id, PlanId = plan.Id, AssignedBy = "system" });
                await audit.AppendAsync(new AuditEntry(tenant.Id, "tenant.create", "tenant", tenant.Slug, After: new { tenant.Slug, tenant.DisplayName, Plan = plan?.Name }), principal.ToAuditActor(), cancellationToken);
                return new TenantResponse(tenant.Slug, tenant.DisplayName, nameof(TenantRole.Owner), tenant.CreatedAt);
            },
            conflict: $"The slug '{request.Slug}' is taken.",
            cancellationToken);
    }

    public async Task<(TenantResponse Tenant, uint Version)> GetAsync(TenantContext context, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == context.TenantId, cancellationToken);
        return (new TenantResponse(tenant.Slug, tenant.DisplayName, context.Role.ToString(), tenant.CreatedAt), tenant.Version);
    }

    public async Task<(TenantResponse Tenant, uint Version)> UpdateAsync(TenantContext context, UpdateTenantRequest request, uint? ifMatch, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Admin);
        var errors = new FieldErrors();
        TenantRules.Validate(errors, null, request.DisplayName, creating: false);
        errors.ThrowIfAny();

        return await db.InTransactionAsync(
            async () =>
            {
                var tenant = await db.Tenants.SingleAsync(t => t.Id == context.TenantId, cancellationToken);
                if (ifMatch is { } expected && expected != tenant.Version)
                {
                    throw new PreconditionFailedException("The tenant changed since you read it (ETag mismatch). Reload and try again.");
                }

                // The version we checked must still be current when the row is written.
                if (ifMatch is { } v) db.Entry(tenant).Property(t => t.Version).OriginalValue = v;
                var before = new { tenant.DisplayName };
                if (request.DisplayName is { } name) tenant.DisplayName = name.Trim();
                await audit.AppendAsync(new AuditEntry(tenant.Id, "tenant.update", "tenant", tenant.Slug, before, new { tenant.DisplayName }), context.Principal.ToAuditActor(), cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                return (new TenantResponse(tenant.Slug, tenant.DisplayName, context.Role.ToString(), tenant.CreatedAt), tenant.Version);
            },
            cancellationToken: cancellationToken);
    }
}
