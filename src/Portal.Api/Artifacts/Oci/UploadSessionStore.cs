using System.Buffers;
using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Portal.Api.Artifacts.Storage;
using Portal.Data;

namespace Portal.Api.Artifacts.Oci;

/// <summary>The state of an upload session as its lock holder sees it.</summary>
public sealed record UploadState(Guid Id, string Repository, long Size, int NextChunk, DateTimeOffset UpdatedAt);

/// <summary>
/// Upload sessions in Postgres: the session row, and its bytes as <c>blob_chunks</c> rows under the
/// session's id (at most <see cref="PostgresBlobStore.ChunkSize"/> each), which
/// <see cref="PostgresBlobStore.AdoptChunksAsync"/> turns into the blob once the digest checks out.
/// Every call runs in the caller's transaction; <see cref="LockAsync"/> serialises writers of one session.
/// </summary>
public sealed class UploadSessionStore(PortalDbContext db)
{
    public async Task<UploadState> CreateAsync(Guid tenantId, string repository, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = new Data.Artifacts.UploadSession { TenantId = tenantId, Repository = repository, CreatedAt = now, UpdatedAt = now };
        db.UploadSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return new UploadState(session.Id, repository, 0, 0, now);
    }

    /// <summary>Locks the session row for the rest of the transaction; null when the tenant has no such session for this repository.</summary>
    public async Task<UploadState?> LockAsync(Guid tenantId, string repository, Guid id, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await CurrentTransactionAsync(cancellationToken);
        await using var select = new NpgsqlCommand("""
            SELECT "Size", "NextChunk", "UpdatedAt" FROM upload_sessions
            WHERE "Id" = $1 AND "TenantId" = $2 AND "Repository" = $3 FOR UPDATE
            """, connection, transaction);
        select.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        select.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = repository });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new UploadState(id, repository, reader.GetInt64(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2));
    }

    /// <summary>Reads a session without locking it (status requests).</summary>
    public async Task<UploadState?> FindAsync(Guid tenantId, string repository, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.UploadSessions.IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.Id == id && u.TenantId == tenantId && u.Repository == repository)
            .Select(u => new { u.Size, u.NextChunk, u.UpdatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : new UploadState(id, repository, row.Size, row.NextChunk, row.UpdatedAt);
    }

    /// <summary>
    /// Appends <paramref name="body"/> as chunk rows after the session's bytes and records the new
    /// size; returns the state after. The body stream enforces its own limits.
    /// </summary>
    public async Task<UploadState> AppendAsync(UploadState session, Stream body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await CurrentTransactionAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(PostgresBlobStore.ChunkSize);
        var (size, next) = (session.Size, session.NextChunk);
        try
        {
            while (true)
            {
                var filled = await FillAsync(body, buffer.AsMemory(0, PostgresBlobStore.ChunkSize), cancellationToken);
                if (filled == 0) break;
                await InsertChunkAsync(connection, transaction, session.Id, next++, buffer.AsMemory(0, filled), cancellationToken);
                size += filled;
                if (filled < PostgresBlobStore.ChunkSize) break;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await using var update = new NpgsqlCommand("""UPDATE upload_sessions SET "Size" = $2, "NextChunk" = $3, "UpdatedAt" = $4 WHERE "Id" = $1""", connection, transaction);
        update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = session.Id });
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = size });
        update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = next });
        update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await update.ExecuteNonQueryAsync(cancellationToken);
        return session with { Size = size, NextChunk = next, UpdatedAt = now };
    }

    /// <summary>An empty blob still has one (empty) chunk row, as the blob store writes it, so it can be read back.</summary>
    public async Task EnsureFirstChunkAsync(UploadState session, CancellationToken cancellationToken)
    {
        if (session.NextChunk > 0) return;
        var (connection, transaction) = await CurrentTransactionAsync(cancellationToken);
        await InsertChunkAsync(connection, transaction, session.Id, 0, ReadOnlyMemory<byte>.Empty, cancellationToken);
    }

    /// <summary>Removes the session row (its chunks stay: they became the blob, or <see cref="DeleteAsync"/> drops them).</summary>
    public async Task FinishAsync(Guid id, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await CurrentTransactionAsync(cancellationToken);
        await using var delete = new NpgsqlCommand("""DELETE FROM upload_sessions WHERE "Id" = $1""", connection, transaction);
        delete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes the session and every byte it received.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await CurrentTransactionAsync(cancellationToken);
        await using var delete = new NpgsqlCommand("""
            WITH gone AS (DELETE FROM upload_sessions WHERE "Id" = $1 RETURNING "Id")
            DELETE FROM blob_chunks WHERE "BlobId" = $1
            """, connection, transaction);
        delete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Purges sessions untouched since <paramref name="cutoff"/> and their bytes, across tenants; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await CurrentTransactionAsync(cancellationToken);
        await using var purge = new NpgsqlCommand("""
            WITH gone AS (DELETE FROM upload_sessions WHERE "UpdatedAt" < $1 RETURNING "Id"),
                 chunks AS (DELETE FROM blob_chunks WHERE "BlobId" IN (SELECT "Id" FROM gone))
            SELECT count(*) FROM gone
            """, connection, transaction);
        purge.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff });
        return (int)(long)(await purge.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task InsertChunkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand("""INSERT INTO blob_chunks ("BlobId", "Index", "Data") VALUES ($1, $2, $3)""", connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = index });
        insert.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Bytea });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<(NpgsqlConnection, NpgsqlTransaction)> CurrentTransactionAsync(CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("Upload sessions change inside the request's transaction.");
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open) await connection.OpenAsync(cancellationToken);
        return (connection, transaction);
    }

    private static async Task<int> FillAsync(Stream content, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await content.ReadAsync(buffer[filled..], cancellationToken);
            if (read == 0) break;
            filled += read;
        }

        return filled;
    }
}
