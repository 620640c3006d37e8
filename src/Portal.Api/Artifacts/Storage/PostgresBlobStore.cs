using System.Data;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Portal.Data;

namespace Portal.Api.Artifacts.Storage;

/// <summary>
/// Blobs in Postgres: one <c>blobs</c> row per digest and tenant, the bytes in 1 MiB
/// <c>blob_chunks</c> rows. Writes go through the context's connection inside its current
/// transaction; reads stream chunk by chunk on a connection of their own, so a large pull never
/// holds the whole blob in memory or a request's DbContext busy.
/// </summary>
public sealed class PostgresBlobStore(PortalDbContext db, TimeProvider clock) : IBlobStore
{
    public const int ChunkSize = 1024 * 1024;

    public async Task<StoredBlob> WriteAsync(Guid tenantId, Stream content, CancellationToken cancellationToken = default)
    {
        var (connection, transaction) = await CurrentTransactionAsync(cancellationToken);
        var blobId = Guid.CreateVersion7();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(ChunkSize);
        long size = 0;
        var index = 0;
        try
        {
            while (true)
            {
                var filled = await FillAsync(content, buffer.AsMemory(0, ChunkSize), cancellationToken);
                if (filled == 0 && index > 0) break;
                hash.AppendData(buffer, 0, filled);
                size += filled;
                await using (var insert = new NpgsqlCommand("""INSERT INTO blob_chunks ("BlobId", "Index", "Data") VALUES ($1, $2, $3)""", connection, transaction))
                {
                    insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = blobId });
                    insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = index++ });
                    insert.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = buffer.AsMemory(0, filled), NpgsqlDbType = NpgsqlDbType.Bytea });
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                if (filled < ChunkSize) break;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        var digest = Digests.From(hash);
        var now = clock.GetUtcNow();
        // Of two uploads of the same bytes, the second waits for the first to commit and then
        // finds its row: identical bytes are stored once, and neither upload fails.
        await using (var claim = new NpgsqlCommand("""
            INSERT INTO blobs ("Id", "TenantId", "Digest", "Size", "CreatedAt") VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT ("TenantId", "Digest") DO NOTHING
            """, connection, transaction))
        {
            claim.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = blobId });
            claim.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
            claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = digest });
            claim.Parameters.Add(new NpgsqlParameter<long> { TypedValue = size });
            claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 1) return new StoredBlob(digest, size, now, AlreadyStored: false);
        }

        await DeleteChunksAsync(connection, transaction, blobId, cancellationToken);
        var existing = await FindAsync(tenantId, digest, cancellationToken) ?? throw new InvalidOperationException($"Blob {digest} vanished while it was being stored.");
        return existing with { AlreadyStored = true };
    }

    /// <summary>Turns the chunks an upload session wrote under its id into a blob, if they hash to <paramref name="digest"/>.</summary>
    public async Task<StoredBlob?> AdoptChunksAsync(Guid tenantId, Guid sessionId, string digest, CancellationToken cancellationToken = default)
    {
        var (connection, transaction) = await CurrentTransactionAsync(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        await using (var read = new NpgsqlCommand("""SELECT "Data" FROM blob_chunks WHERE "BlobId" = $1 ORDER BY "Index" """, connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = sessionId });
            await using var reader = await read.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var chunk = await reader.GetFieldValueAsync<byte[]>(0, cancellationToken);
                hash.AppendData(chunk);
                size += chunk.Length;
            }
        }

        if (Digests.From(hash) != digest) return null;
        var existing = await FindAsync(tenantId, digest, cancellationToken);
        if (existing is not null)
        {
            await DeleteChunksAsync(connection, transaction, sessionId, cancellationToken);
            return existing with { AlreadyStored = true };
        }

        var now = clock.GetUtcNow();
        db.Blobs.Add(new Data.Artifacts.Blob { Id = sessionId, TenantId = tenantId, Digest = digest, Size = size, CreatedAt = now });
        return new StoredBlob(digest, size, now, AlreadyStored: false);
    }

    public async Task<StoredBlob?> FindAsync(Guid tenantId, string digest, CancellationToken cancellationToken = default)
    {
        var row = await db.Blobs.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.TenantId == tenantId && b.Digest == digest)
            .Select(b => new { b.Size, b.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : new StoredBlob(digest, row.Size, row.CreatedAt, AlreadyStored: true);
    }

    public async Task<Stream?> OpenReadAsync(Guid tenantId, string digest, CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            var command = new NpgsqlCommand("""
                SELECT c."Data" FROM blobs b JOIN blob_chunks c ON c."BlobId" = b."Id"
                WHERE b."TenantId" = $1 AND b."Digest" = $2 ORDER BY c."Index"
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = digest });
            var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                await reader.DisposeAsync();
                await connection.DisposeAsync();
                return null;
            }

            return new ChunkReadStream(connection, command, reader);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<byte[]?> ReadAllAsync(Guid tenantId, string digest, long maxBytes, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(tenantId, digest, cancellationToken);
        if (found is null || found.Size > maxBytes) return null;
        await using var stream = await OpenReadAsync(tenantId, digest, cancellationToken);
        if (stream is null) return null;
        var bytes = new byte[found.Size];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    public async Task DeleteAsync(Guid tenantId, string digest, CancellationToken cancellationToken = default)
    {
        var (connection, transaction) = await CurrentTransactionAsync(cancellationToken);
        await using var delete = new NpgsqlCommand("""
            WITH gone AS (DELETE FROM blobs WHERE "TenantId" = $1 AND "Digest" = $2 RETURNING "Id")
            DELETE FROM blob_chunks WHERE "BlobId" IN (SELECT "Id" FROM gone)
            """, connection, transaction);
        delete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = tenantId });
        delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = digest });
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task DeleteChunksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid blobId, CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlCommand("""DELETE FROM blob_chunks WHERE "BlobId" = $1""", connection, transaction);
        delete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = blobId });
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<(NpgsqlConnection, NpgsqlTransaction)> CurrentTransactionAsync(CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("Blob writes run inside the change's transaction.");
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
