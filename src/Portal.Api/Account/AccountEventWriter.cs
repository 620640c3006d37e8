using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Portal.Data;
using Portal.Data.Identity;

namespace Portal.Api.Account;

/// <summary>
/// Appends one event to a user's account chain. Like <see cref="Audit.AuditWriter"/>, call it
/// inside the transaction that makes the change, before <c>SaveChanges</c>.
/// </summary>
public sealed class AccountEventWriter(PortalDbContext db, TimeProvider clock)
{
    public async Task AppendAsync(Guid userId, string action, string? detail, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Account events are written inside the change's transaction.");

        // Lock the user's chain and read its head in one round trip (see AuditWriter for why two statements).
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction())
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 8))") { Parameters = { new() { Value = userId.ToString() } } },
                new NpgsqlBatchCommand("""SELECT "Sequence", "Hash" FROM account_events WHERE "UserId" = $1 ORDER BY "Sequence" DESC LIMIT 1""") { Parameters = { new() { Value = userId } } },
            },
        };
        long sequence = 0;
        var previous = AccountEventHasher.Genesis;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken)) (sequence, previous) = (reader.GetInt64(0), reader.GetString(1));
        }

        var now = clock.GetUtcNow();
        var accountEvent = new AccountEvent
        {
            UserId = userId,
            Sequence = sequence + 1,
            // Postgres keeps microseconds; truncate now so the stored row hashes the same.
            OccurredAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero),
            Action = action,
            Detail = detail,
            IpAddress = origin.IpAddress,
            UserAgent = origin.UserAgent,
            CorrelationId = origin.CorrelationId,
            PreviousHash = previous,
            Hash = "",
        };
        accountEvent.Hash = AccountEventHasher.Compute(accountEvent);
        db.AccountEvents.Add(accountEvent);
    }

    /// <summary>The user's most recent account events, newest first.</summary>
    public async Task<IReadOnlyList<AccountEventResponse>> RecentAsync(Guid userId, int limit, CancellationToken cancellationToken = default) =>
        await db.AccountEvents.AsNoTracking().Where(e => e.UserId == userId).OrderByDescending(e => e.Sequence).Take(limit)
            .Select(e => new AccountEventResponse(e.Sequence, e.OccurredAt, e.Action, e.Detail, e.IpAddress, e.UserAgent))
            .ToListAsync(cancellationToken);
}
