using Microsoft.EntityFrameworkCore;
using Portal.Api.Tenants.Access;
using Portal.Data;

namespace Portal.Api.Audit;

/// <summary>
/// Walks a tenant's chain from the first event, recomputing each hash and checking each link to
/// the previous row, and names the first row that does not verify: altered content, a removed row
/// (a gap in sequence numbers) or a broken link.
/// </summary>
public sealed class AuditVerifier(PortalDbContext db)
{
    private const int BatchSize = 2000;

    public async Task<AuditVerification> VerifyAsync(TenantContext context, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var previousHash = AuditHasher.Genesis;
        long expected = 1, checkedCount = 0;
        while (true)
        {
            var batch = await db.AuditEvents.AsNoTracking()
                .Where(a => a.TenantId == context.TenantId && a.Sequence >= expected)
                .OrderBy(a => a.Sequence).Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var e in batch)
            {
                if (e.Sequence != expected) return new(false, checkedCount, expected, $"Event {expected} is missing.");
                if (e.PreviousHash != previousHash) return new(false, checkedCount, e.Sequence, $"Event {e.Sequence} does not link to the event before it.");
                if (AuditHasher.Compute(e) != e.Hash) return new(false, checkedCount, e.Sequence, $"Event {e.Sequence} was altered after it was written.");
                previousHash = e.Hash;
                expected++;
                checkedCount++;
            }

            if (batch.Count < BatchSize) return new(true, checkedCount, null, null);
        }
    }
}
