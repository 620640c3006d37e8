using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Api.Http;
using Portal.Data;

namespace Portal.Api.Database;

public static class TransactionExtensions
{
    /// <summary>
    /// Runs a change and its audit event in one transaction: both commit, or neither does.
    /// A unique-constraint violation becomes a 409 with <paramref name="conflict"/> as its message.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this PortalDbContext db, Func<Task<T>> change, string? conflict = null, CancellationToken cancellationToken = default)
    {
        // EF otherwise wraps SaveChanges in a savepoint (two more round trips) so that a caller could
        // carry on after a failed save; here a failed save ends the whole transaction.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var result = await change();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbUpdateException e) when (conflict is not null && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new ConflictException(conflict);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new PreconditionFailedException("Someone else changed this since you read it. Reload and try again.");
        }
    }
}
