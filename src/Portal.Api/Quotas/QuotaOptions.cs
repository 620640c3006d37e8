namespace Portal.Api.Quotas;

/// <summary>
/// Limits that are not a plan's (section <c>Portal:Quotas</c>): the plan decides how much a tenant
/// stores in all, this how large one upload may be, to bound what one request streams.
/// </summary>
public sealed class QuotaOptions
{
    public const string Section = "Portal:Quotas";

    /// <summary>The largest single artifact (wasm file or OCI blob) a tenant may upload.</summary>
    public long MaxArtifactBytes { get; set; } = 50L * 1024 * 1024;
}
