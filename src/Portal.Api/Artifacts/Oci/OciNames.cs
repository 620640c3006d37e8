using Microsoft.EntityFrameworkCore;
using Portal.Api.Http;
using Portal.Data;

namespace Portal.Api.Artifacts.Oci;

/// <summary>Repository names and tags as the registry accepts them: the artifact rules (<see cref="ArtifactNames"/>).</summary>
public static class OciNames
{
    /// <summary>NAME_INVALID unless <paramref name="name"/> is a valid artifact name.</summary>
    public static void RequireName(string tenant, string name)
    {
        try
        {
            ArtifactNames.Validate(name, "x");
        }
        catch (ValidationException e)
        {
            throw new OciException(400, OciErrorCodes.NameInvalid, $"{tenant}/{name} is not a valid repository name: {e.Message}", new { name = $"{tenant}/{name}" });
        }
    }

    /// <summary>MANIFEST_INVALID unless <paramref name="tag"/> is a valid tag.</summary>
    public static string RequireTag(string tag)
    {
        try
        {
            return ArtifactNames.Validate("x", tag).Tag;
        }
        catch (ValidationException e)
        {
            throw OciException.ManifestInvalid($"'{tag}' is neither a valid tag nor a sha256 digest: {e.Message}");
        }
    }
}

/// <summary>Locks that serialise changes to which blobs a tenant's manifests reference.</summary>
internal static class OciLocks
{
    /// <summary>
    /// Held by a manifest push (from checking its blobs to commit) and by the orphan sweep of the
    /// tenant, so the sweep never deletes a blob a manifest is about to reference.
    /// </summary>
    public static Task TenantBlobsAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({tenantId.ToString()}, 11))", cancellationToken);
}
