namespace Portal.Api.Artifacts.Oci;

/// <summary>The registry's paths, as written into Location headers (relative, as the spec allows).</summary>
public static class OciRoutes
{
    public const string Prefix = "/v2";

    public static string Repository(string tenant, string name) => $"{tenant}/{name}";

    public static string Upload(string tenant, string name, Guid id) => $"{Prefix}/{tenant}/{name}/blobs/uploads/{id}";

    public static string Blob(string tenant, string name, string digest) => $"{Prefix}/{tenant}/{name}/blobs/{digest}";

    public static string Manifest(string tenant, string name, string reference) => $"{Prefix}/{tenant}/{name}/manifests/{reference}";

    /// <summary>The <c>Range</c> an upload reports: <c>0-{last byte}</c> (<c>0-0</c> while empty, as registries write it).</summary>
    public static string RangeOf(long size) => $"0-{Math.Max(0, size - 1)}";
}
