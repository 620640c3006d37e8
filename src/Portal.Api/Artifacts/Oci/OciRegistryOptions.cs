namespace Portal.Api.Artifacts.Oci;

/// <summary>Settings of the OCI registry (section <c>Portal:Oci</c>).</summary>
public sealed class OciRegistryOptions
{
    public const string Section = "Portal:Oci";

    /// <summary>An upload session untouched this long is abandoned: refused on access and purged with its bytes.</summary>
    public TimeSpan UploadSessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A pushed blob no tag reaches (no artifact row, no stored manifest) is removed once this old.</summary>
    public TimeSpan OrphanBlobLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often abandoned uploads and orphan blobs are purged.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);
}
