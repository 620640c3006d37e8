using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Http;

namespace Portal.Api.Http.Idempotency;

/// <summary>
/// The records behind <c>Idempotency-Key</c>. A key is reserved before its request runs (an
/// in-progress row under the table's primary key), so of two concurrent requests with one key
/// exactly one runs; the row is then completed with the answer, or released if there is none to keep.
/// Each call is its own statement, outside the request's transaction, so others see it at once.
/// </summary>
public sealed class IdempotencyStore(PortalDbContext db, TimeProvider clock)
{
    /// <summary>Reserves the key for this request; false if someone holds or held it already.</summary>
    public async Task<bool> TryReserveAsync(string principal, string key, string requestHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO idempotency_records ("Principal", "Key", "RequestHash", "StatusCode", "ResponseBody", "CreatedAt")
            VALUES ({principal}, {key}, {requestHash}, {IdempotencyRecord.InProgress}, '', {now})
            ON CONFLICT DO NOTHING
            """,
            cancellationToken);
        return inserted == 1;
    }

    public Task<IdempotencyRecord?> FindAsync(string principal, string key, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Principal == principal && r.Key == key, cancellationToken);

    /// <summary>Stores the answer of a reserved key for replay.</summary>
    public Task CompleteAsync(string principal, string key, int statusCode, string? location, string body, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.Where(r => r.Principal == principal && r.Key == key && r.StatusCode == IdempotencyRecord.InProgress)
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.StatusCode, statusCode).SetProperty(r => r.Location, location).SetProperty(r => r.ResponseBody, body),
                cancellationToken);

    /// <summary>Frees a reserved key whose request failed, so the client may retry with it.</summary>
    public Task ReleaseAsync(string principal, string key, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.Where(r => r.Principal == principal && r.Key == key && r.StatusCode == IdempotencyRecord.InProgress)
            .ExecuteDeleteAsync(cancellationToken);

    /// <summary>Deletes records created before <paramref name="cutoff"/>; returns how many.</summary>
    public Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
}
