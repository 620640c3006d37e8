using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Api.Artifacts.Oci;
using Portal.Api.Artifacts.Storage;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Quotas;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Artifacts;

namespace Portal.Api.Artifacts;

/// <summary>
/// A tenant's actors: upload (size and quota checked while streaming, inspected, stored once per
/// digest, row and audit event in one transaction), list, read, download, delete.
/// </summary>
public sealed class ArtifactService(
    PortalDbContext db,
    IBlobStore blobs,
    StorageQuota quota,
    AuditWriter audit,
    IArtifactUsage usage,
    TimeProvider clock,
    IOptions<PortalOptions> options)
{
    public async Task<ArtifactUploadResponse> UploadAsync(TenantContext context, string? name, string? tag, Stream body, long? declaredLength, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Write);
        (name, tag) = ArtifactNames.Validate(name, tag);
        var allowance = await quota.AllowanceAsync(context.TenantId, cancellationToken);
        if (declaredLength is { } declared && declared > allowance.ReadLimit) throw allowance.Refusal(declared);

        using var content = await BoundedContent.ReadAsync(body, allowance, cancellationToken);
        var inspection = ArtifactInspection.Inspect(content.Span);
        var (imports, exports) = ArtifactInspection.Interfaces(inspection);

        return await db.InTransactionAsync(
            async () =>
            {
                db.TenantScope = context.TenantId;
                await using var wasm = content.OpenRead();
                var layer = await blobs.WriteAsync(context.TenantId, wasm, cancellationToken);
                var config = OciManifests.Config(layer.Digest, inspection, layer.CreatedAt);
                var configBlob = await blobs.WriteAsync(context.TenantId, new MemoryStream(config), cancellationToken);
                var manifest = OciManifests.ImageManifest(
                    new OciManifests.Descriptor(OciMediaTypes.WasmConfig, configBlob.Digest, configBlob.Size),
                    new OciManifests.Descriptor(OciMediaTypes.WasmLayer, layer.Digest, layer.Size));
                var manifestBlob = await blobs.WriteAsync(context.TenantId, new MemoryStream(manifest), cancellationToken);

                var now = clock.GetUtcNow();
                var artifact = await db.Artifacts.SingleOrDefaultAsync(a => a.Name == name && a.Tag == tag, cancellationToken);
                var (previousDigest, previousManifest) = (artifact?.Digest, artifact?.ManifestDigest);
                if (artifact is not null && artifact.Digest == layer.Digest)
                {
                    // The same bytes under the same name and tag: nothing changes, nothing to audit.
                    return new ArtifactUploadResponse(ToResponse(artifact, context.Slug), Created: false, BytesAlreadyStored: true, PreviousDigest: null);
                }

                // Counted again under the tenant's quota lock now the bytes are written: a concurrent
                // upload that passed the streaming check with us is counted here, one after the other.
                var written = new[] { layer, configBlob, manifestBlob }.Where(b => !b.AlreadyStored).Sum(b => b.Size);
                await quota.EnsureWithinAsync(context.TenantId, addsArtifact: artifact is null, written, cancellationToken);

                artifact ??= db.Artifacts.Add(new Artifact
                {
                    TenantId = context.TenantId, Name = name, Tag = tag, Digest = "", ManifestDigest = "", Inspection = "{}", UploadedBy = "",
                }).Entity;
                artifact.Digest = layer.Digest;
                artifact.ManifestDigest = manifestBlob.Digest;
                artifact.Size = layer.Size;
                artifact.Kind = ArtifactInspection.KindOf(inspection);
                artifact.Inspection = ArtifactInspection.ToJson(inspection);
                artifact.Imports = imports;
                artifact.Exports = exports;
                artifact.UploadedById = context.Principal.UserId;
                artifact.UploadedBy = context.Principal.Name;
                artifact.UploadedAt = now;

                var summary = new { artifact.Name, artifact.Tag, artifact.Digest, artifact.Size, Kind = artifact.Kind.ToString() };
                await audit.AppendAsync(
                    previousDigest is null
                        ? new AuditEntry(context.TenantId, "artifact.upload", "artifact", $"{name}:{tag}", After: summary)
                        : new AuditEntry(context.TenantId, "artifact.tag.move", "artifact", $"{name}:{tag}", Before: new { Digest = previousDigest }, After: summary),
                    context.Principal.ToAuditActor(),
                    cancellationToken);
                if (previousDigest is not null)
                {
                    await db.SaveChangesAsync(cancellationToken);
                    await DeleteIfUnreferencedAsync(context.TenantId, previousDigest, previousManifest!, cancellationToken);
                }

                return new ArtifactUploadResponse(ToResponse(artifact, context.Slug), Created: previousDigest is null, layer.AlreadyStored, previousDigest);
            },
            conflict: $"Another upload of {name}:{tag} finished first. Upload again to move the tag.",
            cancellationToken);
    }

    public async Task<CursorPage<ArtifactResponse>> ListAsync(TenantContext context, string? search, string? kind, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var take = Cursor.Limit(limit);
        var query = db.Artifacts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            query = query.Where(a => EF.Functions.ILike(a.Name, pattern) || EF.Functions.ILike(a.Tag, pattern)
                || a.Exports.Any(e => EF.Functions.ILike(e, pattern)) || a.Imports.Any(i => EF.Functions.ILike(i, pattern)));
        }

        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!Enum.TryParse<ArtifactKind>(kind, ignoreCase: true, out var parsed))
            {
                throw ValidationException.For("kind", "kind is one of: coreModule, component.");
            }

            query = query.Where(a => a.Kind == parsed);
        }

        if (Cursor.Decode(cursor) is { } position)
        {
            var parts = position.Split('\n');
            if (parts.Length != 2) throw ValidationException.For("cursor", "The cursor is not one this API issued.");
            var (afterName, afterTag) = (parts[0], parts[1]);
            query = query.Where(a => string.Compare(a.Name, afterName) > 0 || (a.Name == afterName && string.Compare(a.Tag, afterTag) > 0));
        }

        var rows = await query.OrderBy(a => a.Name).ThenBy(a => a.Tag).Take(take + 1).ToListAsync(cancellationToken);
        return Cursor.Page(rows.Select(a => ToResponse(a, context.Slug)).ToList(), take, a => $"{a.Name}\n{a.Tag}");
    }

    public async Task<ArtifactDetailResponse> GetAsync(TenantContext context, string name, string tag, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var artifact = await FindAsync(name, tag, cancellationToken);
        var tags = await db.Artifacts.AsNoTracking().Where(a => a.Name == name).OrderBy(a => a.Tag).Select(a => a.Tag).ToListAsync(cancellationToken);
        var response = ToResponse(artifact, context.Slug);
        var usedBy = await usage.ApplicationsUsingAsync(context.TenantId, response.ImageRef, cancellationToken);
        using var inspection = JsonDocument.Parse(artifact.Inspection);
        return new ArtifactDetailResponse(response, artifact.ManifestDigest, inspection.RootElement.Clone(), tags, usedBy);
    }

    /// <summary>The wasm bytes, streamed from the store. Dispose the stream.</summary>
    public async Task<(ArtifactResponse Artifact, Stream Content)> OpenContentAsync(TenantContext context, string name, string tag, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var artifact = await FindAsync(name, tag, cancellationToken);
        var stream = await blobs.OpenReadAsync(context.TenantId, artifact.Digest, cancellationToken)
            ?? throw new NotFoundException($"The bytes of {name}:{tag} are missing from the store.");
        return (ToResponse(artifact, context.Slug), stream);
    }

    public async Task DeleteAsync(TenantContext context, string name, string tag, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Write);
        await db.InTransactionAsync(
            async () =>
            {
                var artifact = await FindAsync(name, tag, cancellationToken, tracked: true);
                var response = ToResponse(artifact, context.Slug);
                var users = await usage.ApplicationsUsingAsync(context.TenantId, response.ImageRef, cancellationToken);
                if (users.Count > 0)
                {
                    throw new ConflictException($"{name}:{tag} is used by {string.Join(", ", users)}. Undeploy or change those applications first.");
                }

                db.Artifacts.Remove(artifact);
                await audit.AppendAsync(
                    new AuditEntry(context.TenantId, "artifact.delete", "artifact", $"{name}:{tag}", Before: new { artifact.Name, artifact.Tag, artifact.Digest, artifact.Size }),
                    context.Principal.ToAuditActor(),
                    cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await DeleteIfUnreferencedAsync(context.TenantId, artifact.Digest, artifact.ManifestDigest, cancellationToken);
                return true;
            },
            cancellationToken: cancellationToken);
    }

    /// <summary>Drops the wasm bytes, their manifest and its config once no tag points at them any more.</summary>
    private async Task DeleteIfUnreferencedAsync(Guid tenantId, string digest, string manifestDigest, CancellationToken cancellationToken)
    {
        var stillUsed = await db.Artifacts.IgnoreQueryFilters()
            .AnyAsync(a => a.TenantId == tenantId && (a.Digest == digest || a.ManifestDigest == manifestDigest), cancellationToken);
        if (stillUsed) return;
        if (await blobs.ReadAllAsync(tenantId, manifestDigest, OciLimits.MaxManifestBytes, cancellationToken) is { } manifest
            && OciManifests.Parse(manifest) is { } parsed)
        {
            await blobs.DeleteAsync(tenantId, parsed.Config.Digest, cancellationToken);
        }

        await blobs.DeleteAsync(tenantId, manifestDigest, cancellationToken);
        await blobs.DeleteAsync(tenantId, digest, cancellationToken);
    }

    private async Task<Artifact> FindAsync(string name, string tag, CancellationToken cancellationToken, bool tracked = false)
    {
        var query = tracked ? db.Artifacts : db.Artifacts.AsNoTracking();
        return await query.SingleOrDefaultAsync(a => a.Name == name && a.Tag == tag, cancellationToken)
            ?? throw new NotFoundException($"No artifact {name}:{tag}.");
    }

    private ArtifactResponse ToResponse(Artifact a, string tenantSlug) => new(
        a.Name, a.Tag, a.Digest, a.Size, JsonNamingPolicy.CamelCase.ConvertName(a.Kind.ToString()), a.Imports, a.Exports, a.UploadedBy, a.UploadedAt,
        ImageRef(tenantSlug, a.Name, a.Tag));

    /// <summary>The OCI reference hosts pull: the portal's host and port, then <c>{tenant}/{name}:{tag}</c>.</summary>
    public string ImageRef(string tenantSlug, string name, string tag) =>
        $"{new Uri(options.Value.PublicUrl).Authority}/{tenantSlug}/{name}:{tag}";
}
