using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Audit;

namespace Portal.Api.Audit;

/// <summary>
/// Appends one audit event to the tenant's hash chain. Call it inside the transaction that makes
/// the change, before <c>SaveChanges</c>: the event and the change commit or fail together.
/// </summary>
public sealed class AuditWriter(PortalDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AppendAsync(AuditEntry entry, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit events are written inside the change's transaction.");
        }

        // Serialise writers of one tenant's chain for the rest of the transaction.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"SELECT pg_advisory_xact_lock(hashtextextended({entry.TenantId.ToString()}, 7))", cancellationToken);

        var last = await db.AuditEvents.IgnoreQueryFilters()
            .Where(a => a.TenantId == entry.TenantId)
            .OrderByDescending(a => a.Sequence)
            .Select(a => new { a.Sequence, a.Hash })
            .FirstOrDefaultAsync(cancellationToken);

        var auditEvent = new AuditEvent
        {
            TenantId = entry.TenantId,
            Sequence = (last?.Sequence ?? 0) + 1,
            // Postgres keeps microseconds; truncate now so the stored row hashes the same.
            OccurredAt = TruncateToMicroseconds(clock.GetUtcNow()),
            ActorType = actor.Type,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Action = entry.Action,
            TargetType = entry.TargetType,
            TargetId = entry.TargetId,
            Before = entry.Before is null ? null : JsonSerializer.Serialize(entry.Before, Json),
            After = entry.After is null ? null : JsonSerializer.Serialize(entry.After, Json),
            IpAddress = actor.IpAddress,
            UserAgent = actor.UserAgent,
            CorrelationId = actor.CorrelationId,
            PreviousHash = last?.Hash ?? AuditHasher.Genesis,
            Hash = "",
        };
        auditEvent.Hash = AuditHasher.Compute(auditEvent);
        db.AuditEvents.Add(auditEvent);
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero);
}
