using Microsoft.Extensions.Options;
using Portal.Api.Artifacts.Storage;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Quotas;
using Portal.Data;

namespace Portal.Api.Artifacts.Oci;

/// <summary>
/// Blobs over <c>/v2/</c>: read by digest, and pushed either whole (<c>POST ?digest=</c>) or through
/// an upload session (<c>POST</c>, <c>PATCH</c>…, <c>PUT ?digest=</c>). The per-artifact size limit
/// and the tenant's storage quota (which counts bytes of sessions in progress) are enforced while a
/// body streams in; a refused or mismatching body leaves nothing stored. Blobs belong to the
/// tenant, not to one repository: a blob pushed under one name can be referenced under another.
/// A newly stored blob is audited (<c>artifact.blob.push</c>); sessions themselves are staging.
/// </summary>
public sealed class OciBlobService(
    PortalDbContext db,
    IBlobStore blobs,
    PostgresBlobStore postgres,
    UploadSessionStore sessions,
    StorageQuota quota,
    AuditWriter audit,
    TimeProvider clock,
    IOptions<OciRegistryOptions> options)
{
    public async Task<StoredBlob> FindAsync(OciCaller caller, string digest, CancellationToken cancellationToken)
    {
        RequireDigest(digest);
        return await blobs.FindAsync(caller.TenantId, digest, cancellationToken) ?? throw OciException.BlobUnknown(digest);
    }

    public async Task<Stream> OpenReadAsync(OciCaller caller, string digest, CancellationToken cancellationToken) =>
        await blobs.OpenReadAsync(caller.TenantId, digest, cancellationToken) ?? throw OciException.BlobUnknown(digest);

    /// <summary>Cross-repository mount: the blob, when the tenant already stores it (the source repository does not matter here).</summary>
    public async Task<StoredBlob?> MountAsync(OciCaller caller, string digest, CancellationToken cancellationToken) =>
        Digests.IsValid(digest) ? await blobs.FindAsync(caller.TenantId, digest, cancellationToken) : null;

    public Task<UploadState> StartAsync(OciCaller caller, string repository, CancellationToken cancellationToken) =>
        db.InTransactionAsync(() => sessions.CreateAsync(caller.TenantId, repository, clock.GetUtcNow(), cancellationToken), cancellationToken: cancellationToken);

    /// <summary>A monolithic push: the whole blob in one request body, stored only if it hashes to <paramref name="digest"/>.</summary>
    public async Task<StoredBlob> PutWholeAsync(OciCaller caller, string repository, string digest, Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        RequireDigest(digest);
        var allowance = await quota.AllowanceAsync(caller.TenantId, cancellationToken);
        if (declaredLength is { } declared && declared > allowance.ReadLimit) throw Refusal(allowance, 0, declared);
        var limited = new LimitedReadStream(body, allowance.ReadLimit, read => Refusal(allowance, 0, read));
        return await db.InTransactionAsync(
            async () =>
            {
                var stored = await blobs.WriteAsync(caller.TenantId, limited, cancellationToken);
                if (stored.Digest != digest)
                {
                    // Thrown inside the transaction: the bytes just written roll back with it.
                    throw OciException.DigestInvalid($"the uploaded bytes hash to {stored.Digest}, not {digest}; nothing was stored", digest);
                }

                // Concurrent pushes that each passed the streaming check are counted one after the other here.
                await quota.EnsureWithinAsync(caller.TenantId, addsArtifact: false, stored.AlreadyStored ? 0 : stored.Size, cancellationToken);
                await AuditPushAsync(caller, repository, stored, cancellationToken);
                return stored;
            },
            cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Appends a chunk. With <paramref name="range"/> (<c>Content-Range: start-end</c>) the chunk must
    /// start where the upload stands, else 416 with the upload's current range.
    /// </summary>
    public Task<UploadState> AppendAsync(OciCaller caller, string repository, string uploadId, Stream body, ContentRange? range, long? declaredLength, CancellationToken cancellationToken) =>
        OnSessionAsync(uploadId, () => db.InTransactionAsync(
            async () =>
            {
                var session = await LockAsync(caller, repository, uploadId, cancellationToken);
                return await AppendBodyAsync(caller, session, body, range, declaredLength, cancellationToken);
            },
            cancellationToken: cancellationToken), cancellationToken);

    /// <summary>
    /// Completes an upload with its last chunk (optional) and the digest the bytes must hash to. On
    /// a mismatch the session and its bytes are dropped (nothing is stored) and DIGEST_INVALID thrown.
    /// </summary>
    public async Task<StoredBlob> CompleteAsync(OciCaller caller, string repository, string uploadId, string? digest, Stream body, ContentRange? range, long? declaredLength, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(digest)) throw OciException.DigestInvalid("the digest query parameter is required to complete an upload: PUT …/blobs/uploads/{id}?digest=sha256:…");
        RequireDigest(digest);
        var stored = await OnSessionAsync(uploadId, () => db.InTransactionAsync(
            async () =>
            {
                var session = await LockAsync(caller, repository, uploadId, cancellationToken);
                session = await AppendBodyAsync(caller, session, body, range, declaredLength, cancellationToken);
                await sessions.EnsureFirstChunkAsync(session, cancellationToken);
                var blob = await postgres.AdoptChunksAsync(caller.TenantId, session.Id, digest, cancellationToken);
                if (blob is null)
                {
                    await sessions.DeleteAsync(session.Id, cancellationToken);
                    return null;
                }

                await sessions.FinishAsync(session.Id, cancellationToken);
                await AuditPushAsync(caller, repository, blob, cancellationToken);
                return blob;
            },
            cancellationToken: cancellationToken), cancellationToken);
        return stored ?? throw OciException.DigestInvalid($"the uploaded bytes do not hash to {digest}; the upload was discarded and nothing was stored", digest);
    }

    public async Task<UploadState> StatusAsync(OciCaller caller, string repository, string uploadId, CancellationToken cancellationToken)
    {
        var id = ParseUploadId(uploadId);
        var session = await sessions.FindAsync(caller.TenantId, repository, id, cancellationToken);
        if (session is null || IsAbandoned(session)) throw OciException.UploadUnknown(uploadId);
        return session;
    }

    public Task CancelAsync(OciCaller caller, string repository, string uploadId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(
            async () =>
            {
                var id = ParseUploadId(uploadId);
                _ = await sessions.LockAsync(caller.TenantId, repository, id, cancellationToken) ?? throw OciException.UploadUnknown(uploadId);
                await sessions.DeleteAsync(id, cancellationToken);
                return true;
            },
            cancellationToken: cancellationToken);

    private async Task<UploadState> LockAsync(OciCaller caller, string repository, string uploadId, CancellationToken cancellationToken)
    {
        var id = ParseUploadId(uploadId);
        var session = await sessions.LockAsync(caller.TenantId, repository, id, cancellationToken) ?? throw OciException.UploadUnknown(uploadId);
        return IsAbandoned(session) ? throw new AbandonedUploadException(session.Id) : session;
    }

    /// <summary>
    /// Runs a change to a session; one found abandoned is purged on the spot (in a transaction of its
    /// own, since the change's rolls back) and the caller told it is unknown.
    /// </summary>
    private async Task<T> OnSessionAsync<T>(string uploadId, Func<Task<T>> change, CancellationToken cancellationToken)
    {
        try
        {
            return await change();
        }
        catch (AbandonedUploadException abandoned)
        {
            await db.InTransactionAsync(
                async () =>
                {
                    await sessions.DeleteAsync(abandoned.SessionId, cancellationToken);
                    return true;
                },
                cancellationToken: cancellationToken);
            throw OciException.UploadUnknown(uploadId);
        }
    }

    private async Task<UploadState> AppendBodyAsync(OciCaller caller, UploadState session, Stream body, ContentRange? range, long? declaredLength, CancellationToken cancellationToken)
    {
        if (range is { } r)
        {
            if (r.Start != session.Size) throw RangeRefused(caller, session, $"the chunk starts at byte {r.Start}, but the upload has {session.Size} bytes; send the chunk that starts at {session.Size}");
            if (declaredLength is { } length && length != r.Length)
            {
                throw new OciException(400, OciErrorCodes.SizeInvalid, $"Content-Range {r} covers {r.Length} bytes but Content-Length is {length}");
            }
        }

        var allowance = await quota.AllowanceAsync(caller.TenantId, cancellationToken);
        // The session's own bytes are already counted in the allowance's used bytes.
        var limit = Math.Min(allowance.MaxArtifactBytes - session.Size, allowance.RemainingBytes);
        if (declaredLength is { } declared && declared > limit) throw Refusal(allowance, session.Size, declared);
        var limited = new LimitedReadStream(body, limit, read => Refusal(allowance, session.Size, read));
        var after = await sessions.AppendAsync(session, limited, clock.GetUtcNow(), cancellationToken);
        if (range is { } expected && after.Size - session.Size != expected.Length)
        {
            throw new OciException(400, OciErrorCodes.SizeInvalid, $"Content-Range {expected} announced {expected.Length} bytes but the body had {after.Size - session.Size}; the chunk was not stored");
        }

        return after;
    }

    private bool IsAbandoned(UploadState session) => session.UpdatedAt < clock.GetUtcNow() - options.Value.UploadSessionLifetime;

    private async Task AuditPushAsync(OciCaller caller, string repository, StoredBlob blob, CancellationToken cancellationToken)
    {
        if (blob.AlreadyStored) return;
        await audit.AppendAsync(
            new AuditEntry(caller.TenantId, "artifact.blob.push", "blob", $"{repository}@{blob.Digest}", After: new { Repository = repository, blob.Digest, blob.Size }),
            caller.Actor,
            cancellationToken);
    }

    private static OciException RangeRefused(OciCaller caller, UploadState session, string message)
    {
        var error = new OciException(416, OciErrorCodes.BlobUploadInvalid, message);
        error.Headers["Location"] = OciRoutes.Upload(caller.TenantSlug, session.Repository, session.Id);
        error.Headers["Range"] = OciRoutes.RangeOf(session.Size);
        error.Headers["Docker-Upload-UUID"] = session.Id.ToString();
        return error;
    }

    /// <summary>SIZE_INVALID (413) past the per-artifact limit, DENIED (403) past the storage quota.</summary>
    private static OciException Refusal(StorageAllowance allowance, long alreadyInSession, long incoming)
    {
        var total = alreadyInSession + incoming;
        return total > allowance.MaxArtifactBytes
            ? new OciException(413, OciErrorCodes.SizeInvalid, $"the blob would be {ByteSize.Describe(total)}, larger than the limit of {ByteSize.Describe(allowance.MaxArtifactBytes)} per artifact; nothing of this request was stored")
            : new OciException(403, OciErrorCodes.Denied, $"{StorageQuota.Exceeded(allowance.Storage!, allowance.UsedBytes, allowance.UsedBytes + incoming).Message} Uploads in progress count; nothing of this request was stored.");
    }

    private static void RequireDigest(string digest)
    {
        if (!Digests.IsValid(digest)) throw OciException.DigestInvalid($"'{digest}' is not a digest this registry accepts: sha256: and 64 lower-case hex digits", digest);
    }

    private static Guid ParseUploadId(string uploadId) =>
        Guid.TryParse(uploadId, out var id) ? id : throw OciException.UploadUnknown(uploadId);
}

/// <summary>An upload session found abandoned while locking it.</summary>
internal sealed class AbandonedUploadException(Guid sessionId) : Exception($"upload {sessionId} was abandoned")
{
    public Guid SessionId { get; } = sessionId;
}

/// <summary>A <c>Content-Range: start-end</c> (inclusive) of a chunk upload.</summary>
public readonly record struct ContentRange(long Start, long End)
{
    public long Length => End - Start + 1;

    /// <summary>Parses the spec's form <c>^[0-9]+-[0-9]+$</c> (a <c>bytes </c> prefix is tolerated); null when absent.</summary>
    public static ContentRange? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var text = header.Trim();
        if (text.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase)) text = text[6..].Trim();
        var dash = text.IndexOf('-');
        if (dash > 0 && long.TryParse(text.AsSpan(0, dash), System.Globalization.NumberStyles.None, null, out var start)
            && long.TryParse(text.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out var end) && end >= start)
        {
            return new ContentRange(start, end);
        }

        throw new OciException(416, OciErrorCodes.BlobUploadInvalid, $"Content-Range '{header}' is not start-end (inclusive byte offsets, e.g. 0-1023)");
    }

    public override string ToString() => $"{Start}-{End}";
}
