using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
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

        var last = await LockChainAsync(entry.TenantId, cancellationToken);
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

    /// <summary>
    /// Serialises writers of one tenant's chain for the rest of the transaction and reads the
    /// chain's head, in one round trip: the lock and the read go as two statements of one batch.
    /// Each statement of a batch takes its own snapshot, so the read sees every event committed by
    /// whoever held the lock before us (one statement doing both would read with a snapshot taken
    /// before the wait).
    /// </summary>
    private async Task<(long Sequence, string Hash)?> LockChainAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction())
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))") { Parameters = { new() { Value = tenantId.ToString() } } },
                new NpgsqlBatchCommand("""SELECT "Sequence", "Hash" FROM audit_events WHERE "TenantId" = $1 ORDER BY "Sequence" DESC LIMIT 1""") { Parameters = { new() { Value = tenantId } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero);
}
