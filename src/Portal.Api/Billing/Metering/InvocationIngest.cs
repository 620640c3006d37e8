using System.Data;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Billing;
using Portal.Lattice.Control;
using Portal.Lattice.Observation;

namespace Portal.Api.Billing.Metering;

/// <summary>
/// Counts one <see cref="InvocationMetricsEvent"/> into usage. Reports are cumulative per host boot,
/// so under a row lock on the boot's <see cref="InvocationMark"/> only a report with a higher
/// sequence is counted, and only its difference to the mark: every replica may receive every
/// report, duplicates and stale reports add nothing, a lost one is covered by the next.
/// </summary>
public static class InvocationIngest
{
    /// <summary>Returns how many invocations this call added (0 when the report was already counted).</summary>
    public static async Task<long> CountAsync(
        PortalDbContext db, Guid tenantId, string latticeId, InvocationMetricsEvent report, LatticeSnapshot? snapshot,
        MeteringSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO invocation_marks ("LatticeId", "HostId", "BootId", "Sequence", "Totals", "UpdatedAt")
            VALUES ({latticeId}, {report.HostId}, {report.BootId}, 0, CAST({"{}"} AS jsonb), now())
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        var mark = await db.InvocationMarks
            .FromSqlInterpolated($"""SELECT * FROM invocation_marks WHERE "LatticeId" = {latticeId} AND "HostId" = {report.HostId} AND "BootId" = {report.BootId} FOR UPDATE""")
            .ToListAsync(cancellationToken) is [var found] ? found : throw new InvalidOperationException("invocation mark vanished");
        if (report.Sequence <= mark.Sequence) return 0;

        var before = JsonSerializer.Deserialize<Dictionary<string, long>>(mark.Totals) ?? [];
        var after = report.Components.ToDictionary(c => c.Key, c => c.Value.Total);
        // Counters never fall within a boot; a smaller total would be a confused host, counted from zero.
        var deltas = after.Select(c => (Component: c.Key, Delta: c.Value - before.GetValueOrDefault(c.Key) is var d && d >= 0 ? d : c.Value))
            .Where(c => c.Delta > 0).ToList();

        mark.Sequence = report.Sequence;
        mark.Totals = JsonSerializer.Serialize(after);
        mark.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);

        // The report's own period, unless it comes from the future or too late: then the current one.
        var at = report.ReadAt > now || report.ReadAt < now - settings.LateTolerance ? now : report.ReadAt;
        var period = PeriodKey.Floor(at, settings.Interval);
        foreach (var group in deltas.GroupBy(d => ApplicationOf(snapshot, d.Component)))
        {
            await UsageWriter.AddAsync(db, period,
                new UsageSample(tenantId, latticeId, group.Key, BillingUnit.InvocationsPerMonth, group.Sum(d => d.Delta)), cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return deltas.Sum(d => d.Delta);
    }

    private static string ApplicationOf(LatticeSnapshot? snapshot, string componentId)
    {
        if (snapshot is null) return "";
        foreach (var host in snapshot.Hosts.Values)
        {
            if (host.Components.TryGetValue(componentId, out var c)) return LatticeUsage.ApplicationOf(c.Annotations);
        }

        return "";
    }
}
