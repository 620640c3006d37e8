using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Api.Audit;
using Portal.Api.Billing.Metering;
using Portal.Api.Http;
using Portal.Data;
using Portal.Data.Billing;

namespace Portal.Api.Billing.Invoices;

/// <summary>
/// The monthly close: once the metering grace after a month's end has passed, every tenant without
/// an invoice for that month gets a draft. Runs on every replica; the one-invoice-per-month index
/// turns a second replica's close into a conflict that is skipped.
/// </summary>
public sealed class MonthlyCloseService(IServiceScopeFactory scopes, IOptions<MeteringSettings> options, TimeProvider clock, ILogger<MonthlyCloseService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await CloseDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Monthly close failed; it runs again within the hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task CloseDueAsync(CancellationToken cancellationToken)
    {
        // Late invocation reports may still land in the month's last periods for LateTolerance.
        var month = BillingMonth.Of(clock.GetUtcNow() - options.Value.LateTolerance - options.Value.Interval).AddMonths(-1);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var end = BillingMonth.End(month);
        // Tenants that existed during the month (the base price is not prorated).
        var due = await db.Tenants.AsNoTracking()
            .Where(t => t.CreatedAt < end && !db.Invoices.IgnoreQueryFilters().Any(i => i.TenantId == t.Id && i.Month == month && i.Status != InvoiceStatus.Void))
            .Select(t => t.Id).ToListAsync(cancellationToken);
        foreach (var tenantId in due)
        {
            await using var tenantScope = scopes.CreateAsyncScope();
            try
            {
                await tenantScope.ServiceProvider.GetRequiredService<InvoiceService>().CloseAsync(tenantId, month, AuditActor.System("monthly-close"), cancellationToken);
            }
            catch (ConflictException)
            {
                // Another replica closed it first.
            }
        }
    }
}
