using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Api.Artifacts.Storage;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Quotas;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Lattice.Oci;

namespace Portal.Api.Artifacts.Oci;

/// <summary>A manifest as served: its exact bytes, digest and media type.</summary>
public sealed record ServedManifest(byte[] Bytes, string Digest, string MediaType);

/// <summary>
/// Manifests and tags over <c>/v2/</c>. A repository <c>{tenant}/{name}</c> is the tenant's artifacts
/// named <c>name</c>, one per tag. Pushing a manifest under a tag checks what a REST upload checks:
/// every referenced blob is stored, there is exactly one wasm layer and the inspector accepts it;
/// then the artifact row is created or its tag moved, audited as a REST upload is
/// (<c>artifact.upload</c> / <c>artifact.tag.move</c>), in one transaction.
/// </summary>
public sealed class OciManifestService(
    PortalDbContext db,
    IBlobStore blobs,
    StorageQuota quota,
    AuditWriter audit,
    IArtifactUsage usage,
    ArtifactService artifacts,
    TimeProvider clock)
{
    public async Task<ServedManifest> GetAsync(OciCaller caller, string name, string reference, CancellationToken cancellationToken)
    {
        var query = db.Artifacts.AsNoTracking().Where(a => a.Name == name);
        string? digest;
        if (IsDigest(reference))
        {
            RequireDigest(reference);
            digest = await query.AnyAsync(a => a.ManifestDigest == reference, cancellationToken) ? reference : null;
        }
        else
        {
            digest = await query.Where(a => a.Tag == reference).Select(a => a.ManifestDigest).SingleOrDefaultAsync(cancellationToken);
        }

        if (digest is null) throw await UnknownAsync(caller, name, reference, cancellationToken);
        var bytes = await blobs.ReadAllAsync(caller.TenantId, digest, OciLimits.MaxManifestBytes, cancellationToken)
            ?? throw new OciException(404, OciErrorCodes.ManifestUnknown, $"manifest {digest} of {Repository(caller, name)} is missing from the store");
        return new ServedManifest(bytes, digest, MediaTypeOf(bytes));
    }

    /// <summary>Stores a manifest pushed under a tag and points the artifact <c>name:tag</c> at it; returns its digest.</summary>
    public async Task<string> PutAsync(OciCaller caller, string name, string reference, Stream body, string? contentType, CancellationToken cancellationToken)
    {
        var limited = new LimitedReadStream(body, OciLimits.MaxManifestBytes, read =>
            new OciException(413, OciErrorCodes.SizeInvalid, $"the manifest is larger than {ByteSize.Describe(OciLimits.MaxManifestBytes)}"));
        using var buffer = new MemoryStream();
        await limited.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();

        OciManifest manifest;
        try
        {
            manifest = OciManifest.Read(bytes, contentType);
        }
        catch (OciFormatException e)
        {
            throw OciException.ManifestInvalid($"the manifest is not one this registry takes: {e.Message}");
        }

        if (IsDigest(reference))
        {
            RequireDigest(reference);
            if (manifest.Digest != reference) throw OciException.DigestInvalid($"the manifest hashes to {manifest.Digest}, not {reference}", reference);
            if (await db.Artifacts.AnyAsync(a => a.Name == name && a.ManifestDigest == reference, cancellationToken)) return reference;
            throw new OciException(405, OciErrorCodes.Unsupported,
                $"this registry keeps tagged artifacts only: push the manifest as {Repository(caller, name)}:<tag>, then it can also be pulled by digest");
        }

        var tag = OciNames.RequireTag(reference);
        return await db.InTransactionAsync(
            async () =>
            {
                await OciLocks.TenantBlobsAsync(db, caller.TenantId, cancellationToken);
                var layer = await CheckBlobsAsync(caller, manifest, cancellationToken);
                var wasm = await blobs.ReadAllAsync(caller.TenantId, layer.Digest, long.MaxValue, cancellationToken)
                    ?? throw new OciException(400, OciErrorCodes.ManifestBlobUnknown, $"wasm layer {layer.Digest} is not stored in this tenant", new { digest = layer.Digest });
                Lattice.Inspection.WasmInspection inspection;
                try
                {
                    inspection = ArtifactInspection.Inspect(wasm);
                }
                catch (UnprocessableContentException e)
                {
                    throw OciException.ManifestInvalid($"wasm layer {layer.Digest}: {e.Message}");
                }

                var artifact = await db.Artifacts.SingleOrDefaultAsync(a => a.Name == name && a.Tag == tag, cancellationToken);
                if (artifact?.ManifestDigest == manifest.Digest) return manifest.Digest; // already there: nothing changes, nothing to audit

                long written = 0;
                if (await blobs.FindAsync(caller.TenantId, manifest.Digest, cancellationToken) is null)
                {
                    await blobs.WriteAsync(caller.TenantId, new MemoryStream(bytes), cancellationToken);
                    written = bytes.Length;
                }

                // Storage and artifact count under the tenant's quota lock (a quota refusal becomes DENIED).
                await quota.EnsureWithinAsync(caller.TenantId, addsArtifact: artifact is null, written, cancellationToken);

                var previous = artifact is null ? null : new { artifact.Digest, artifact.ManifestDigest };
                artifact ??= db.Artifacts.Add(new Artifact
                {
                    TenantId = caller.TenantId, Name = name, Tag = tag, Digest = "", ManifestDigest = "", Inspection = "{}", UploadedBy = "",
                }).Entity;
                var (imports, exports) = ArtifactInspection.Interfaces(inspection);
                artifact.Digest = layer.Digest;
                artifact.ManifestDigest = manifest.Digest;
                artifact.Size = layer.Size;
                artifact.Kind = ArtifactInspection.KindOf(inspection);
                artifact.Inspection = ArtifactInspection.ToJson(inspection);
                artifact.Imports = imports;
                artifact.Exports = exports;
                artifact.UploadedById = caller.UserId;
                artifact.UploadedBy = caller.Name;
                artifact.UploadedAt = clock.GetUtcNow();

                var summary = new { artifact.Name, artifact.Tag, artifact.Digest, artifact.ManifestDigest, artifact.Size, Kind = artifact.Kind.ToString(), Via = "oci" };
                await audit.AppendAsync(
                    previous is null
                        ? new AuditEntry(caller.TenantId, "artifact.upload", "artifact", $"{name}:{tag}", After: summary)
                        : new AuditEntry(caller.TenantId, "artifact.tag.move", "artifact", $"{name}:{tag}", Before: previous, After: summary),
                    caller.Actor,
                    cancellationToken);
                if (previous is not null)
                {
                    await db.SaveChangesAsync(cancellationToken);
                    await ReleaseAsync(caller.TenantId, previous.Digest, previous.ManifestDigest, cancellationToken);
                }

                return manifest.Digest;
            },
            conflict: $"Another upload of {name}:{tag} finished first. Push again to move the tag.",
            cancellationToken);
    }

    /// <summary>Deletes the tag, or every tag of the repository that points at the manifest digest.</summary>
    public async Task DeleteAsync(OciCaller caller, string name, string reference, CancellationToken cancellationToken)
    {
        if (IsDigest(reference)) RequireDigest(reference);
        await db.InTransactionAsync(
            async () =>
            {
                await OciLocks.TenantBlobsAsync(db, caller.TenantId, cancellationToken);
                var byDigest = IsDigest(reference);
                var doomed = await db.Artifacts.Where(a => a.Name == name && (byDigest ? a.ManifestDigest == reference : a.Tag == reference))
                    .OrderBy(a => a.Tag).ToListAsync(cancellationToken);
                if (doomed.Count == 0) throw await UnknownAsync(caller, name, reference, cancellationToken);
                foreach (var artifact in doomed)
                {
                    var users = await usage.ApplicationsUsingAsync(caller.TenantId, artifacts.ImageRef(caller.TenantSlug, artifact.Name, artifact.Tag), cancellationToken);
                    if (users.Count > 0)
                    {
                        throw OciException.Denied($"{artifact.Name}:{artifact.Tag} is used by {string.Join(", ", users)}; undeploy or change those applications first");
                    }
                }

                db.Artifacts.RemoveRange(doomed);
                var target = doomed.Count == 1 ? $"{name}:{doomed[0].Tag}" : $"{name}@{doomed[0].ManifestDigest}";
                await audit.AppendAsync(
                    new AuditEntry(caller.TenantId, "artifact.delete", "artifact", target,
                        Before: new { Name = name, Tags = doomed.Select(a => a.Tag).ToList(), doomed[0].Digest, doomed[0].ManifestDigest, doomed[0].Size, Via = "oci" }),
                    caller.Actor,
                    cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                foreach (var gone in doomed.Select(a => (a.Digest, a.ManifestDigest)).Distinct())
                {
                    await ReleaseAsync(caller.TenantId, gone.Digest, gone.ManifestDigest, cancellationToken);
                }

                return true;
            },
            cancellationToken: cancellationToken);
    }

    /// <summary>Tags of the repository in order; <paramref name="count"/> and <paramref name="last"/> page as the spec's <c>n</c> and <c>last</c>.</summary>
    public async Task<(IReadOnlyList<string> Tags, bool More)> TagsAsync(OciCaller caller, string name, int? count, string? last, CancellationToken cancellationToken)
    {
        var query = db.Artifacts.AsNoTracking().Where(a => a.Name == name);
        if (!await query.AnyAsync(cancellationToken)) throw OciException.NameUnknown(Repository(caller, name));
        if (!string.IsNullOrEmpty(last)) query = query.Where(a => string.Compare(a.Tag, last) > 0);
        var ordered = query.OrderBy(a => a.Tag).Select(a => a.Tag);
        if (count is not { } n) return (await ordered.ToListAsync(cancellationToken), false);
        if (n < 0) throw new OciException(400, OciErrorCodes.Unsupported, "n must be zero or more");
        var page = await ordered.Take(n + 1).ToListAsync(cancellationToken);
        return (page.Take(n).ToList(), page.Count > n);
    }

    /// <summary>Every referenced blob is stored with the size the manifest states; returns the wasm layer.</summary>
    private async Task<OciDescriptor> CheckBlobsAsync(OciCaller caller, OciManifest manifest, CancellationToken cancellationToken)
    {
        foreach (var descriptor in manifest.Layers.Prepend(manifest.Config))
        {
            var stored = await blobs.FindAsync(caller.TenantId, descriptor.Digest, cancellationToken)
                ?? throw new OciException(400, OciErrorCodes.ManifestBlobUnknown, $"blob {descriptor.Digest} ({descriptor.MediaType}) is not stored in this tenant; push it before the manifest", new { digest = descriptor.Digest });
            if (stored.Size != descriptor.Size)
            {
                throw OciException.ManifestInvalid($"the manifest says blob {descriptor.Digest} is {descriptor.Size} bytes, but it is {stored.Size}");
            }
        }

        try
        {
            return manifest.WasmLayer();
        }
        catch (OciFormatException e)
        {
            throw OciException.ManifestInvalid(e.Message);
        }
    }

    /// <summary>
    /// Drops a manifest and its wasm layer once no tag points at them. Other blobs it referenced (its
    /// config, extra layers) are left to the orphan sweep, which knows every manifest's references.
    /// </summary>
    private async Task ReleaseAsync(Guid tenantId, string digest, string manifestDigest, CancellationToken cancellationToken)
    {
        var rows = db.Artifacts.IgnoreQueryFilters().Where(a => a.TenantId == tenantId);
        if (!await rows.AnyAsync(a => a.ManifestDigest == manifestDigest || a.Digest == manifestDigest, cancellationToken))
        {
            await blobs.DeleteAsync(tenantId, manifestDigest, cancellationToken);
        }

        if (!await rows.AnyAsync(a => a.Digest == digest || a.ManifestDigest == digest, cancellationToken))
        {
            await blobs.DeleteAsync(tenantId, digest, cancellationToken);
        }
    }

    private async Task<OciException> UnknownAsync(OciCaller caller, string name, string reference, CancellationToken cancellationToken) =>
        await db.Artifacts.AnyAsync(a => a.Name == name, cancellationToken)
            ? new OciException(404, OciErrorCodes.ManifestUnknown, $"{Repository(caller, name)} has no manifest {reference}", new { name = Repository(caller, name), reference })
            : OciException.NameUnknown(Repository(caller, name));

    /// <summary>The manifest's own mediaType; an OCI image manifest when it has none.</summary>
    private static string MediaTypeOf(byte[] manifest)
    {
        try
        {
            using var json = JsonDocument.Parse(manifest);
            if (json.RootElement.TryGetProperty("mediaType", out var type) && type.GetString() is { Length: > 0 } mediaType) return mediaType;
        }
        catch (JsonException)
        {
        }

        return OciContentTypes.ImageManifest;
    }

    private static bool IsDigest(string reference) => reference.Contains(':');

    private static void RequireDigest(string digest)
    {
        if (!Digests.IsValid(digest)) throw OciException.DigestInvalid($"'{digest}' is not a digest this registry accepts: sha256: and 64 lower-case hex digits", digest);
    }

    private static string Repository(OciCaller caller, string name) => OciRoutes.Repository(caller.TenantSlug, name);
}
