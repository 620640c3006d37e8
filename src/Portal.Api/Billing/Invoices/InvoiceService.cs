using Portal.Api.Http;
using Microsoft.EntityFrameworkCore;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Identity;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Billing;

namespace Portal.Api.Billing.Invoices;

/// <summary>
/// Invoices: the monthly close (base price plus overage from the month's usage records), reading
/// them as a tenant, and the status changes a platform admin makes (draft → issued → paid, or void).
/// Each change is one transaction with one audit event in the tenant's chain.
/// </summary>
public sealed class InvoiceService(PortalDbContext db, AuditWriter audit, ITenantPlans plans, TimeProvider clock)
{
    public async Task<IReadOnlyList<InvoiceResponse>> ListAsync(TenantContext context, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var invoices = await db.Invoices.AsNoTracking().Include(i => i.Lines).OrderByDescending(i => i.Month).ThenByDescending(i => i.CreatedAt).ToListAsync(cancellationToken);
        return invoices.Select(i => InvoiceResponse.From(i, context.Slug)).ToList();
    }

    public async Task<InvoiceResponse> GetAsync(TenantContext context, Guid id, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        // The tenant query filter makes another tenant's invoice a plain 404.
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, cancellationToken)
                      ?? throw new NotFoundException($"No invoice {id}.");
        return InvoiceResponse.From(invoice, context.Slug);
    }

    /// <summary>A platform admin closes <paramref name="month"/> for a tenant now (e.g. again, after a correction, while it is a draft).</summary>
    public async Task<InvoiceResponse> CloseAsync(CurrentPrincipal principal, string tenant, CloseMonthRequest request, CancellationToken cancellationToken = default)
    {
        PlanAdminService.Demand(principal);
        var month = BillingMonth.Parse(request.Month, "month");
        if (BillingMonth.End(month) > clock.GetUtcNow())
            throw ValidationException.For("month", $"{BillingMonth.Format(month)} has not ended yet; only past months can be closed.");
        var tenantId = await TenantIdAsync(tenant, cancellationToken);
        return InvoiceResponse.From(await CloseAsync(tenantId, month, principal.ToAuditActor(), cancellationToken), tenant);
    }

    /// <summary>
    /// Computes the month's invoice as a draft: a new one, or the existing draft recomputed. An issued
    /// or paid invoice is final (409); void it first to bill the month again.
    /// </summary>
    public async Task<Invoice> CloseAsync(Guid tenantId, DateOnly month, AuditActor actor, CancellationToken cancellationToken = default)
    {
        db.TenantScope = tenantId;
        var plan = await plans.GetEffectivePlanAsync(tenantId, cancellationToken);
        var (from, to) = (BillingMonth.Start(month), BillingMonth.End(month));
        var used = await db.UsageRecords.Where(u => u.PeriodStart >= from && u.PeriodStart < to)
            .GroupBy(u => u.Unit).Select(g => new { Unit = g.Key, Quantity = g.Sum(u => u.Quantity) })
            .ToDictionaryAsync(g => g.Unit, g => g.Quantity, cancellationToken);
        var slug = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Slug).SingleAsync(cancellationToken);

        return await db.InTransactionAsync(
            async () =>
            {
                var invoice = await db.Invoices.Include(i => i.Lines).SingleOrDefaultAsync(i => i.Month == month && i.Status != InvoiceStatus.Void, cancellationToken);
                var before = invoice is null ? null : new { invoice.Total, Lines = invoice.Lines.Count };
                if (invoice is { Status: not InvoiceStatus.Draft })
                    throw new ConflictException($"The invoice for {BillingMonth.Format(month)} is {invoice.Status.ToString().ToLowerInvariant()}; void it before closing the month again.");
                if (invoice is null)
                {
                    invoice = new Invoice { TenantId = tenantId, Month = month, Number = $"{BillingMonth.Format(month)}-{slug}", Currency = plan.Currency, PlanName = plan.PlanName, CreatedAt = clock.GetUtcNow() };
                    if (await db.Invoices.AnyAsync(i => i.Month == month, cancellationToken)) invoice.Number += $"-{invoice.Id.ToString()[..8]}";
                    db.Invoices.Add(invoice);
                }
                else
                {
                    db.InvoiceLines.RemoveRange(invoice.Lines);
                    invoice.Lines.Clear();
                    invoice.Currency = plan.Currency;
                    invoice.PlanName = plan.PlanName;
                }

                invoice.Lines.AddRange(InvoiceCalculator.Lines(plan, used));
                invoice.Total = InvoiceCalculator.Total(invoice.Lines);
                await audit.AppendAsync(new AuditEntry(tenantId, "invoice.close", "invoice", invoice.Number, Before: before,
                    After: new { Month = BillingMonth.Format(month), invoice.Total, invoice.Currency, Lines = invoice.Lines.Count }), actor, cancellationToken);
                return invoice;
            },
            conflict: $"The invoice for {BillingMonth.Format(month)} was closed at the same moment; reload it.",
            cancellationToken);
    }

    public async Task<InvoiceResponse> SetStatusAsync(CurrentPrincipal principal, string tenant, Guid id, InvoiceStatusRequest request, CancellationToken cancellationToken = default)
    {
        PlanAdminService.Demand(principal);
        var tenantId = await TenantIdAsync(tenant, cancellationToken);
        if (!Enum.TryParse<InvoiceStatus>(request.Status, ignoreCase: true, out var status) || !Enum.IsDefined(status) || int.TryParse(request.Status, out _) || status == InvoiceStatus.Draft)
            throw ValidationException.For("status", $"'{request.Status}' is not a status an invoice can be moved to; use issued, paid or void.");
        db.TenantScope = tenantId;
        return await db.InTransactionAsync(
            async () =>
            {
                var invoice = await db.Invoices.Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == id, cancellationToken)
                              ?? throw new NotFoundException($"No invoice {id} in {tenant}.");
                var from = invoice.Status;
                var allowed = (from, status) switch
                {
                    (InvoiceStatus.Draft, InvoiceStatus.Issued) => true,
                    (InvoiceStatus.Issued, InvoiceStatus.Paid) => true,
                    (InvoiceStatus.Draft or InvoiceStatus.Issued, InvoiceStatus.Void) => true,
                    _ => false,
                };
                if (!allowed)
                    throw new ConflictException($"An invoice that is {from.ToString().ToLowerInvariant()} cannot become {status.ToString().ToLowerInvariant()} (draft → issued → paid; draft or issued → void).");
                var now = clock.GetUtcNow();
                invoice.Status = status;
                switch (status)
                {
                    case InvoiceStatus.Issued: invoice.IssuedAt = now; break;
                    case InvoiceStatus.Paid: invoice.PaidAt = now; break;
                    case InvoiceStatus.Void: invoice.VoidedAt = now; break;
                }

                await audit.AppendAsync(new AuditEntry(tenantId, "invoice.status", "invoice", invoice.Number,
                    Before: new { Status = from.ToString().ToLowerInvariant() }, After: new { Status = status.ToString().ToLowerInvariant() }), principal.ToAuditActor(), cancellationToken);
                return InvoiceResponse.From(invoice, tenant);
            },
            cancellationToken: cancellationToken);
    }

    private async Task<Guid> TenantIdAsync(string slug, CancellationToken cancellationToken) =>
        await db.Tenants.AsNoTracking().Where(t => t.Slug == slug).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException($"No tenant '{slug}'.");
}
