using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Api.Quotas;

/// <summary>
/// Serialises a tenant's quota-checked changes until the transaction ends. Every change that counts
/// against a plan limit takes it inside its transaction before counting; under read committed the
/// count after the wait sees the other change's commit, so two requests cannot both squeeze under
/// a limit. Taken after <c>OciLocks</c> and before the audit chain's lock, always in that order.
/// </summary>
public static class QuotaLock
{
    public static Task TakeAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({tenantId.ToString()}, 13))", cancellationToken);
}
