using Microsoft.EntityFrameworkCore;
using Portal.Api.Audit;
using Portal.Api.Billing;
using Portal.Data;

namespace Portal.Api.Seeding;

/// <summary>
/// Creates the catalog's plans (<see cref="PlanCatalog"/>: <c>free</c>, the default, and <c>team</c>)
/// when no plan of that name exists. Idempotent; never changes a plan an admin has edited.
/// Run by <c>./portal up</c> (through the demo seeding) and by the test fixtures' template database.
/// </summary>
public sealed class PlanSeeder(PortalDbContext db, AuditWriter audit)
{
    public async Task<IReadOnlyList<string>> SeedAsync(CancellationToken cancellationToken = default)
    {
        var created = new List<string>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var hasDefault = await db.Plans.AnyAsync(p => p.IsDefault, cancellationToken);
        foreach (var plan in new[] { PlanCatalog.Free(), PlanCatalog.Team() })
        {
            if (await db.Plans.AnyAsync(p => p.Name == plan.Name, cancellationToken)) continue;
            if (hasDefault) plan.IsDefault = false;
            hasDefault |= plan.IsDefault;
            foreach (var line in plan.Limits) line.PlanId = plan.Id;
            db.Plans.Add(plan);
            await audit.AppendAsync(new AuditEntry(PlanAdminService.PlatformChain, "plan.create", "plan", plan.Name, After: new { plan.Name, plan.MonthlyPrice, plan.Currency, plan.IsDefault }),
                AuditActor.System("portal seed"), cancellationToken);
            // Saved plan by plan: the audit writer reads the chain's head from the database.
            await db.SaveChangesAsync(cancellationToken);
            created.Add(plan.Name);
        }

        await transaction.CommitAsync(cancellationToken);
        return created;
    }
}
