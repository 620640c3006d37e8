namespace Portal.Api.Artifacts.Oci;

public static class OciLimits
{
    /// <summary>Manifests are small JSON documents; registries commonly refuse ones past 4 MiB.</summary>
    public const long MaxManifestBytes = 4 * 1024 * 1024;
}
