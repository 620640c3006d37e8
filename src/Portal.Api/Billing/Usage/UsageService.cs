using Microsoft.EntityFrameworkCore;
using Portal.Api.Billing.Invoices;
using Portal.Api.Identity;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Billing;

namespace Portal.Api.Billing.Usage;

/// <summary>Reads usage records back: a tenant's month (units against its plan, per application, per day) and the platform's overview.</summary>
public sealed class UsageService(PortalDbContext db, ITenantPlans plans, TimeProvider clock)
{
    public async Task<UsageResponse> GetAsync(TenantContext context, string? month, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var now = clock.GetUtcNow();
        var m = string.IsNullOrEmpty(month) ? BillingMonth.Of(now) : BillingMonth.Parse(month, "month");
        var (from, to) = (BillingMonth.Start(m), BillingMonth.End(m));
        var plan = await plans.GetEffectivePlanAsync(context.TenantId, cancellationToken);

        var records = db.UsageRecords.AsNoTracking().Where(u => u.PeriodStart >= from && u.PeriodStart < to);
        var byApp = await records.GroupBy(u => new { u.Application, u.LatticeId, u.Unit })
            .Select(g => new { g.Key.Application, g.Key.LatticeId, g.Key.Unit, Quantity = g.Sum(u => u.Quantity) }).ToListAsync(cancellationToken);
        // Days by UTC date (the period key is UTC), summed in the database: a month holds tens of thousands of periods.
        var daily = (await db.Database.SqlQuery<DailyRow>($"""
                SELECT (("PeriodStart" AT TIME ZONE 'UTC')::date) AS "Day", "Unit", sum("Quantity") AS "Quantity"
                FROM usage_records WHERE "TenantId" = {context.TenantId} AND "PeriodStart" >= {from} AND "PeriodStart" < {to}
                GROUP BY 1, 2
                """).ToListAsync(cancellationToken))
            .Select(d => new { Day = d.Day, Unit = Enum.Parse<BillingUnit>(d.Unit), d.Quantity }).ToList();

        var elapsed = Math.Clamp((now - from) / (to - from), 0, 1);
        var units = InvoiceCalculator.MeteredUnits.Select(unit =>
        {
            var used = byApp.Where(r => r.Unit == unit).Sum(r => r.Quantity);
            var limit = plan.For(unit);
            var forecast = elapsed is > 0 and < 1 ? decimal.Round(used / (decimal)elapsed, 0) : used;
            return new UnitUsage(
                BillingUnits.Key(unit), used, limit?.Included, limit?.IsHardCap ?? false, limit?.OveragePrice, limit?.OverageQuantum ?? 1,
                limit is { Included: > 0 } ? (double)(used / limit.Included * 100) : null,
                forecast,
                limit is { Included: > 0 } ? decimal.Round(forecast / limit.Included * 100, 1) : null);
        }).ToList();

        var applications = byApp.GroupBy(r => (r.Application, r.LatticeId))
            .OrderBy(g => g.Key.Application == "" ? 1 : 0).ThenBy(g => g.Key.Application).ThenBy(g => g.Key.LatticeId)
            .Select(g => new ApplicationUsage(g.Key.Application, g.Key.LatticeId, g.ToDictionary(r => BillingUnits.Key(r.Unit), r => r.Quantity)))
            .ToList();
        var series = InvoiceCalculator.MeteredUnits.Select(unit => new DailySeries(BillingUnits.Key(unit),
            daily.Where(d => d.Unit == unit).OrderBy(d => d.Day).Select(d => new DailyPoint(d.Day, d.Quantity)).ToList())).ToList();

        return new UsageResponse(context.Slug, BillingMonth.Format(m), from, to, now, plan.PlanName, plan.Currency, plan.MonthlyPrice, elapsed, units, applications, series);
    }

    public async Task<PlatformUsageResponse> PlatformAsync(CurrentPrincipal principal, string? month, CancellationToken cancellationToken = default)
    {
        PlanAdminService.Demand(principal);
        var m = string.IsNullOrEmpty(month) ? BillingMonth.Of(clock.GetUtcNow()) : BillingMonth.Parse(month, "month");
        var (from, to) = (BillingMonth.Start(m), BillingMonth.End(m));
        var tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.Slug).Select(t => new { t.Id, t.Slug }).ToListAsync(cancellationToken);
        var usage = await db.UsageRecords.IgnoreQueryFilters().AsNoTracking().Where(u => u.PeriodStart >= from && u.PeriodStart < to)
            .GroupBy(u => new { u.TenantId, u.Unit }).Select(g => new { g.Key.TenantId, g.Key.Unit, Quantity = g.Sum(u => u.Quantity) }).ToListAsync(cancellationToken);
        var invoices = await db.Invoices.IgnoreQueryFilters().AsNoTracking().Where(i => i.Month == m && i.Status != InvoiceStatus.Void)
            .Select(i => new { i.TenantId, i.Status, i.Total, i.Currency }).ToListAsync(cancellationToken);

        var rows = new List<TenantUsageSummary>();
        foreach (var t in tenants)
        {
            var plan = await plans.GetEffectivePlanAsync(t.Id, cancellationToken);
            var invoice = invoices.FirstOrDefault(i => i.TenantId == t.Id);
            rows.Add(new TenantUsageSummary(t.Slug, plan.PlanName, plan.Currency,
                usage.Where(u => u.TenantId == t.Id).ToDictionary(u => BillingUnits.Key(u.Unit), u => u.Quantity),
                invoice?.Status.ToString().ToLowerInvariant(), invoice?.Total));
        }

        var revenue = invoices.GroupBy(i => i.Currency).ToDictionary(g => g.Key, g => g.Sum(i => i.Total));
        return new PlatformUsageResponse(BillingMonth.Format(m), rows, revenue);
    }
}

internal sealed record DailyRow(DateOnly Day, string Unit, decimal Quantity);
