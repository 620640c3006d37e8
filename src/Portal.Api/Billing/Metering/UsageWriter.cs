using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Api.Billing.Metering;

/// <summary>
/// Writes usage under its period key. Samples are insert-or-nothing (whoever writes a period
/// first wins; a restart or another replica sampling the same period adds nothing); invocation
/// differences are added to the period's row (each is counted once by the marks, see <see cref="InvocationIngest"/>).
/// </summary>
public static class UsageWriter
{
    public static async Task<int> InsertSamplesAsync(PortalDbContext db, DateTimeOffset periodStart, IEnumerable<UsageSample> samples, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var s in samples)
        {
            written += await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO usage_records ("TenantId", "LatticeId", "Application", "Unit", "PeriodStart", "Quantity", "RecordedAt")
                VALUES ({s.TenantId}, {s.LatticeId}, {s.Application}, {s.Unit.ToString()}, {periodStart}, {s.Quantity}, now())
                ON CONFLICT ("TenantId", "LatticeId", "Application", "Unit", "PeriodStart") DO NOTHING
                """, cancellationToken);
        }

        return written;
    }

    public static Task AddAsync(PortalDbContext db, DateTimeOffset periodStart, UsageSample s, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO usage_records ("TenantId", "LatticeId", "Application", "Unit", "PeriodStart", "Quantity", "RecordedAt")
            VALUES ({s.TenantId}, {s.LatticeId}, {s.Application}, {s.Unit.ToString()}, {periodStart}, {s.Quantity}, now())
            ON CONFLICT ("TenantId", "LatticeId", "Application", "Unit", "PeriodStart")
            DO UPDATE SET "Quantity" = usage_records."Quantity" + EXCLUDED."Quantity", "RecordedAt" = now()
            """, cancellationToken);
}
