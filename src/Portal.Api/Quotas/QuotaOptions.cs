namespace Portal.Api.Quotas;

/// <summary>
/// Limits every tenant gets (section <c>Portal:Quotas</c>). The Billing issue will take them
/// from the tenant's plan; until then they are the same for every tenant.
/// </summary>
public sealed class QuotaOptions
{
    public const string Section = "Portal:Quotas";

    /// <summary>The largest single artifact (wasm file or OCI blob) a tenant may upload.</summary>
    public long MaxArtifactBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>All stored bytes of a tenant together (deduplicated blobs plus uploads in progress).</summary>
    public long StorageBytes { get; set; } = 1024L * 1024 * 1024;
}
