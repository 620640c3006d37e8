using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Quotas;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Tenants;

namespace Portal.Api.Lattices;

/// <summary>A tenant's environments. Each is one lattice with a platform-unique lattice id.</summary>
public sealed partial class LatticeService(PortalDbContext db, AuditWriter audit, ITenantLimits limits, TimeProvider clock)
{
    [GeneratedRegex("^[a-z][a-z0-9-]{0,29}$")]
    private static partial Regex NamePattern();

    /// <summary>The wire lattice id of a tenant's environment; unique because tenant slugs are.</summary>
    public static string LatticeIdFor(string tenantSlug, string environment) => $"{tenantSlug}-{environment}";

    public async Task<IReadOnlyList<LatticeResponse>> ListAsync(TenantContext context, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        return await db.Lattices.AsNoTracking().OrderBy(l => l.Name)
            .Select(l => new LatticeResponse(l.Name, l.LatticeId, l.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<LatticeResponse> GetAsync(TenantContext context, string name, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        return await db.Lattices.AsNoTracking().Where(l => l.Name == name)
            .Select(l => new LatticeResponse(l.Name, l.LatticeId, l.CreatedAt))
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException($"No lattice '{name}'.");
    }

    public async Task<LatticeResponse> CreateAsync(TenantContext context, CreateLatticeRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Admin);
        var name = request.Name?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw ValidationException.For("name", "Name must start with a letter and hold up to 30 lower-case letters, digits and hyphens, e.g. dev or prod.");
        }

        var lattice = new Portal.Data.Tenants.Lattice { TenantId = context.TenantId, Name = name, LatticeId = LatticeIdFor(context.Slug, name), CreatedAt = clock.GetUtcNow() };
        return await db.InTransactionAsync(
            async () =>
            {
                await EnsureCanCreateAsync(context.TenantId, cancellationToken);
                db.Lattices.Add(lattice);
                await audit.AppendAsync(new AuditEntry(context.TenantId, "lattice.create", "lattice", lattice.Name, After: new { lattice.Name, lattice.LatticeId }), context.Principal.ToAuditActor(), cancellationToken);
                return new LatticeResponse(lattice.Name, lattice.LatticeId, lattice.CreatedAt);
            },
            conflict: $"A lattice named '{name}' already exists (or its lattice id is taken).",
            cancellationToken);
    }

    /// <summary>The plan's Lattices limit, counted under the tenant's quota lock (concurrent creates count one after the other).</summary>
    private async Task EnsureCanCreateAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await QuotaLock.TakeAsync(db, tenantId, cancellationToken);
        if ((await limits.ForAsync(tenantId, cancellationToken)).For(Data.Billing.BillingUnit.Lattices) is not { } limit) return;
        var count = await db.Lattices.IgnoreQueryFilters().CountAsync(l => l.TenantId == tenantId, cancellationToken);
        if (count < limit.Limit) return;
        throw QuotaExceededException.For(limit, count, count + 1, "Lattice quota reached",
            $"this tenant has {count} of {limit.Limit} lattices", "Delete an environment you no longer use");
    }
}
