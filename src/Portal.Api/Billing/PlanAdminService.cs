using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Identity;
using Portal.Api.Quotas;
using Portal.Data;
using Portal.Data.Billing;

namespace Portal.Api.Billing;

/// <summary>
/// Platform administration of plans: create, replace, archive and delete plans; put a tenant on a
/// plan; set and remove a tenant's overrides. Platform admins only. Plan changes are audited in
/// the platform's own chain (<see cref="PlatformChain"/>), tenant assignments and overrides in the
/// tenant's chain, each in the change's transaction.
/// </summary>
public sealed partial class PlanAdminService(PortalDbContext db, AuditWriter audit, ITenantPlans plans, TenantRequestRates rates, TimeProvider clock)
{
    /// <summary>The audit chain of changes that belong to no tenant (plans themselves).</summary>
    public static readonly Guid PlatformChain = Guid.Empty;

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    public async Task<IReadOnlyList<PlanResponse>> ListAsync(CurrentPrincipal principal, bool includeArchived, CancellationToken cancellationToken = default)
    {
        Demand(principal);
        var rows = await db.Plans.AsNoTracking().Include(p => p.Limits)
            .Where(p => includeArchived || p.ArchivedAt == null)
            .OrderBy(p => p.MonthlyPrice).ThenBy(p => p.Name)
            .ToListAsync(cancellationToken);
        var counts = await TenantCountsAsync(cancellationToken);
        return rows.Select(p => ToResponse(p, counts.GetValueOrDefault(p.Id))).ToList();
    }

    public async Task<PlanResponse> GetAsync(CurrentPrincipal principal, string name, CancellationToken cancellationToken = default)
    {
        Demand(principal);
        var plan = await FindAsync(name, tracked: false, cancellationToken);
        return ToResponse(plan, (await TenantCountsAsync(cancellationToken)).GetValueOrDefault(plan.Id));
    }

    public async Task<PlanResponse> CreateAsync(CurrentPrincipal principal, PlanRequest request, CancellationToken cancellationToken = default)
    {
        Demand(principal);
        var limits = Validate(request, creating: true);
        var plan = new Plan { Name = request.Name!, Currency = request.Currency!, CreatedAt = clock.GetUtcNow() };
        Apply(plan, request, limits);
        return await db.InTransactionAsync(
            async () =>
            {
                if (plan.IsDefault) await ClearDefaultAsync(cancellationToken);
                db.Plans.Add(plan);
                await audit.AppendAsync(new AuditEntry(PlatformChain, "plan.create", "plan", plan.Name, After: Summary(plan)), principal.ToAuditActor(), cancellationToken);
                return ToResponse(plan, 0);
            },
            conflict: $"A plan named '{request.Name}' already exists.",
            cancellationToken);
    }

    /// <summary>Replaces a plan's price, description and lines (its name stays). Tenants on it get the new limits at once.</summary>
    public async Task<PlanResponse> UpdateAsync(CurrentPrincipal principal, string name, PlanRequest request, CancellationToken cancellationToken = default)
    {
        Demand(principal);
        var limits = Validate(request with { Name = name }, creating: false);
        return await db.InTransactionAsync(
            async () =>
            {
                var plan = await FindAsync(name, tracked: true, cancellationToken);
                var before = Summary(plan);
                if (request.IsDefault == true && !plan.IsDefault) await ClearDefaultAsync(cancellationToken);
                if (request.IsDefault == false && plan.IsDefault) throw new ConflictException($"'{name}' is the default plan; make another plan the default instead.");
                // Lines are updated in place (their key is plan and unit), removed, or added.
                foreach (var line in plan.Limits.ToList())
                {
                    if (limits.SingleOrDefault(l => l.Unit == line.Unit) is { } next)
                    {
                        (line.Included, line.OveragePrice, line.OverageQuantum) = (next.Included, next.OveragePrice, next.OverageQuantum);
                        limits.Remove(next);
                    }
                    else
                    {
                        plan.Limits.Remove(line);
                        db.PlanLimits.Remove(line);
                    }
                }

                Apply(plan, request, limits);
                await audit.AppendAsync(new AuditEntry(PlatformChain, "plan.update", "plan", plan.Name, Before: before, After: Summary(plan)), principal.ToAuditActor(), cancellationToken);
                rates.ForgetAll();
                return ToResponse(plan, (await TenantCountsAsync(cancellationToken)).GetValueOrDefault(plan.Id));
            },
            conflict: "Another plan became the default at the same moment. Reload and try again.",
            cancellationToken);
    }

    /// <summary>No longer offered; tenants already on it stay on it. The default plan cannot be archived.</summary>
    public async Task<PlanResponse> ArchiveAsync(CurrentPrincipal principal, string name, CancellationToken cancellationToken = default)
    {
        Demand(principal);
        return await db.InTransactionAsync(
            async () =>
            {
                var plan = await FindAsync(name, tracked: true, cancellationToken);
                if (plan.IsDefault) throw new ConflictException($"'{name}' is the default plan new tenants get; make another plan the default before archiving it.");
                if (plan.ArchivedAt is null)
                {
                    plan.ArchivedAt = clock.GetUtcNow();
                    await audit.AppendAsync(new AuditEntry(PlatformChain, "plan.archive", "plan", plan.Name, After: new { plan.ArchivedAt }), principal.ToAuditActor(), cancellationToken);
                }

                return ToResponse(plan, (await TenantCountsAsync(cancellationToken)).GetValueOrDefault(plan.Id));
            },
            cancellationToken: cancellationToken);
    }

    /// <summary>Deletes a plan no tenant is on (the foreign key refuses otherwise, whoever races us).</summary>
    public async Task DeleteAsync(CurrentPrincipal principal, string name, CancellationToken cancellationToken = default)
    {
        Demand(principal);
        try
        {
            await db.InTransactionAsync(
                async () =>
                {
                    var plan = await FindAsync(name, tracked: true, cancellationToken);
                    if (plan.IsDefault) throw new ConflictException($"'{name}' is the default plan new tenants get; it cannot be deleted.");
                    var tenants = await db.TenantPlans.IgnoreQueryFilters().CountAsync(t => t.PlanId == plan.Id, cancellationToken);
                    if (tenants > 0) throw InUse(name, tenants);
                    db.Plans.Remove(plan);
                    await audit.AppendAsync(new AuditEntry(PlatformChain, "plan.delete", "plan", plan.Name, Before: Summary(plan)), principal.ToAuditActor(), cancellationToken);
                    return true;
                },
                cancellationToken: cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ForeignKeyViolation })
        {
            throw InUse(name, 1);
        }
    }

    /// <summary>The plan a tenant is on and its overrides, for admins.</summary>
    public async Task<TenantPlanResponse> GetTenantPlanAsync(CurrentPrincipal principal, string tenant, CancellationToken cancellationToken = default)
    {
        Demand(principal);
        var tenantId = await TenantIdAsync(tenant, cancellationToken);
        return TenantPlanResponse.From(tenant, await plans.GetEffectivePlanAsync(tenantId, cancellationToken));
    }

    public async Task<TenantPlanResponse> AssignAsync(CurrentPrincipal principal, string tenant, AssignPlanRequest request, CancellationToken cancellationToken = default)
    {
        Demand(principal);
        if (string.IsNullOrWhiteSpace(request.Plan)) throw ValidationException.For("plan", "plan is required: the name of the plan to put the tenant on.");
        var tenantId = await TenantIdAsync(tenant, cancellationToken);
        await db.InTransactionAsync(
            async () =>
            {
                var plan = await db.Plans.SingleOrDefaultAsync(p => p.Name == request.Plan, cancellationToken)
                    ?? throw ValidationException.For("plan", $"There is no plan '{request.Plan}'.");
                if (plan.ArchivedAt is not null) throw ValidationException.For("plan", $"Plan '{plan.Name}' is archived; it keeps its tenants but takes no new ones.");
                var before = await plans.GetEffectivePlanAsync(tenantId, cancellationToken);
                var row = await db.TenantPlans.IgnoreQueryFilters().SingleOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken);
                if (row?.PlanId == plan.Id) return false;
                row ??= db.TenantPlans.Add(new TenantPlan { TenantId = tenantId }).Entity;
                row.PlanId = plan.Id;
                row.AssignedAt = clock.GetUtcNow();
                row.AssignedBy = principal.Name;
                await audit.AppendAsync(new AuditEntry(tenantId, "tenant.plan.assign", "tenant", tenant, Before: new { Plan = before.PlanName }, After: new { Plan = plan.Name }),
                    principal.ToAuditActor(), cancellationToken);
                return true;
            },
            cancellationToken: cancellationToken);
        rates.Forget(tenantId);
        return TenantPlanResponse.From(tenant, await plans.GetEffectivePlanAsync(tenantId, cancellationToken));
    }

    public async Task<TenantPlanResponse> SetOverrideAsync(CurrentPrincipal principal, string tenant, string unitName, PlanOverrideRequest request, CancellationToken cancellationToken = default)
    {
        Demand(principal);
        var unit = BillingUnits.Parse(unitName, "unit");
        var line = ValidateLine(new FieldErrors(), "", unit, request.Included, request.OveragePrice, request.OverageQuantum);
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 500) throw ValidationException.For("reason", "reason is required (up to 500 characters): why this tenant gets an exception.");
        var tenantId = await TenantIdAsync(tenant, cancellationToken);
        await db.InTransactionAsync(
            async () =>
            {
                var row = await db.TenantPlanOverrides.IgnoreQueryFilters().SingleOrDefaultAsync(o => o.TenantId == tenantId && o.Unit == unit, cancellationToken);
                var before = row is null ? null : new { row.Included, row.OveragePrice, row.OverageQuantum, row.Reason };
                row ??= db.TenantPlanOverrides.Add(new TenantPlanOverride { TenantId = tenantId, Unit = unit }).Entity;
                (row.Included, row.OveragePrice, row.OverageQuantum, row.Reason) = (line.Included, line.OveragePrice, line.OverageQuantum, reason);
                row.CreatedAt = clock.GetUtcNow();
                row.CreatedBy = principal.Name;
                await audit.AppendAsync(new AuditEntry(tenantId, "tenant.plan.override", "tenant", $"{tenant}/{BillingUnits.Key(unit)}", Before: before,
                    After: new { row.Included, row.OveragePrice, row.OverageQuantum, row.Reason }), principal.ToAuditActor(), cancellationToken);
                return true;
            },
            cancellationToken: cancellationToken);
        rates.Forget(tenantId);
        return TenantPlanResponse.From(tenant, await plans.GetEffectivePlanAsync(tenantId, cancellationToken));
    }

    public async Task<TenantPlanResponse> RemoveOverrideAsync(CurrentPrincipal principal, string tenant, string unitName, CancellationToken cancellationToken = default)
    {
        Demand(principal);
        var unit = BillingUnits.Parse(unitName, "unit");
        var tenantId = await TenantIdAsync(tenant, cancellationToken);
        await db.InTransactionAsync(
            async () =>
            {
                var row = await db.TenantPlanOverrides.IgnoreQueryFilters().SingleOrDefaultAsync(o => o.TenantId == tenantId && o.Unit == unit, cancellationToken)
                    ?? throw new NotFoundException($"{tenant} has no override of {BillingUnits.Key(unit)}.");
                db.TenantPlanOverrides.Remove(row);
                await audit.AppendAsync(new AuditEntry(tenantId, "tenant.plan.override.remove", "tenant", $"{tenant}/{BillingUnits.Key(unit)}",
                    Before: new { row.Included, row.OveragePrice, row.OverageQuantum, row.Reason }), principal.ToAuditActor(), cancellationToken);
                return true;
            },
            cancellationToken: cancellationToken);
        rates.Forget(tenantId);
        return TenantPlanResponse.From(tenant, await plans.GetEffectivePlanAsync(tenantId, cancellationToken));
    }

    /// <summary>Platform admins only; a token must carry the admin scope too.</summary>
    public static void Demand(CurrentPrincipal principal)
    {
        if (!principal.IsPlatformAdmin) throw new ForbiddenException("Plans are managed by platform administrators.");
        if (!principal.Scopes.Has(Tokens.TokenScope.Admin)) throw new ForbiddenException("This token lacks the 'admin' scope.");
    }

    private static ConflictException InUse(string name, int tenants) =>
        new($"Plan '{name}' is in use by {tenants} tenant(s) and cannot be deleted; move them to another plan, or archive it instead.");

    private async Task<Plan> FindAsync(string name, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.Plans.Include(p => p.Limits).AsQueryable();
        if (!tracked) query = query.AsNoTracking();
        return await query.SingleOrDefaultAsync(p => p.Name == name, cancellationToken) ?? throw new NotFoundException($"No plan '{name}'.");
    }

    private async Task<Guid> TenantIdAsync(string slug, CancellationToken cancellationToken) =>
        await db.Tenants.AsNoTracking().Where(t => t.Slug == slug).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"No tenant '{slug}'.");

    private async Task<Dictionary<Guid, int>> TenantCountsAsync(CancellationToken cancellationToken) =>
        await db.TenantPlans.IgnoreQueryFilters().GroupBy(t => t.PlanId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

    private async Task ClearDefaultAsync(CancellationToken cancellationToken)
    {
        // Written before the new default so the partial unique index never sees two.
        await db.Plans.Where(p => p.IsDefault).ExecuteUpdateAsync(s => s.SetProperty(p => p.IsDefault, false), cancellationToken);
    }

    private static List<PlanLimit> Validate(PlanRequest request, bool creating)
    {
        var errors = new FieldErrors();
        if (creating) errors.When(request.Name is null || !NamePattern().IsMatch(request.Name), "name", "name must start with a letter and hold up to 40 lower-case letters, digits and hyphens, e.g. team.");
        errors.When(request.MonthlyPrice is not { } price || price < 0 || price > 9_999_999_999.99m || decimal.Round(price, 2) != price, "monthlyPrice", "monthlyPrice is required: 0 or more, in the currency's units with at most 2 decimals.");
        errors.When(request.Currency is null || !CurrencyPattern().IsMatch(request.Currency), "currency", "currency is required: an ISO 4217 code in capitals, e.g. EUR or USD.");
        errors.When((request.Description?.Length ?? 0) > 500, "description", "description holds at most 500 characters.");
        var limits = new List<PlanLimit>();
        var seen = new HashSet<BillingUnit>();
        foreach (var (model, i) in (request.Limits ?? []).Select((m, i) => (m, i)))
        {
            if (!Enum.TryParse<BillingUnit>(model.Unit, ignoreCase: true, out var unit) || !Enum.IsDefined(unit) || int.TryParse(model.Unit, out _))
            {
                errors.Add($"limits[{i}].unit", $"'{model.Unit}' is not a billing unit; units are: {BillingUnits.List}.");
                continue;
            }

            if (!seen.Add(unit)) errors.Add($"limits[{i}].unit", $"{BillingUnits.Key(unit)} is listed twice.");
            limits.Add(ValidateLine(errors, $"limits[{i}].", unit, model.Included, model.OveragePrice, model.OverageQuantum));
        }

        errors.ThrowIfAny();
        return limits;
    }

    private static PlanLimit ValidateLine(FieldErrors errors, string prefix, BillingUnit unit, long? included, decimal? price, long? quantum)
    {
        errors.When(included is not >= 0, prefix + "included", "included is required: 0 or more units.");
        errors.When(price is < 0, prefix + "overagePrice", "overagePrice is 0 or more (leave it out for a hard cap).");
        errors.When(quantum is < 1, prefix + "overageQuantum", "overageQuantum is 1 or more units per priced block.");
        errors.When(unit == BillingUnit.ApiRequestsPerMinute && price is not null, prefix + "overagePrice", "apiRequestsPerMinute is a rate; it can only be a hard cap.");
        if (prefix.Length == 0) errors.ThrowIfAny();
        return new PlanLimit { Unit = unit, Included = included ?? 0, OveragePrice = price, OverageQuantum = quantum ?? 1 };
    }

    private static void Apply(Plan plan, PlanRequest request, List<PlanLimit> limits)
    {
        plan.Description = request.Description?.Trim() ?? "";
        plan.MonthlyPrice = request.MonthlyPrice!.Value;
        plan.Currency = request.Currency!;
        if (request.IsDefault == true) plan.IsDefault = true;
        foreach (var limit in limits)
        {
            limit.PlanId = plan.Id;
            plan.Limits.Add(limit);
        }
    }

    private static object Summary(Plan plan) => new
    {
        plan.Name, plan.MonthlyPrice, plan.Currency, plan.IsDefault,
        Limits = plan.Limits.OrderBy(l => l.Unit).Select(l => new { Unit = BillingUnits.Key(l.Unit), l.Included, l.OveragePrice, l.OverageQuantum }),
    };

    private static PlanResponse ToResponse(Plan plan, int tenants) => new(
        plan.Name, plan.Description, plan.MonthlyPrice, plan.Currency, plan.IsDefault, plan.ArchivedAt, tenants,
        plan.Limits.OrderBy(l => l.Unit).Select(l => new PlanLimitModel(BillingUnits.Key(l.Unit), l.Included, l.OveragePrice, l.OverageQuantum)).ToList());
}
