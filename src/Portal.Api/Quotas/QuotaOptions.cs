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

    /// <summary>Applications a tenant may have (versions do not count; creating a new name does).</summary>
    public int Applications { get; set; } = 50;

    /// <summary>
    /// Component instances of all the tenant's deployed versions together, across its lattices
    /// (providers do not count). A spreadscaler counts its <c>instances</c>; a daemonscaler runs
    /// <c>instances</c> on every matching host, so it counts <c>instances</c> × the matching hosts
    /// the portal observes in that lattice right now, at least 1 (when nothing is observed there it
    /// cannot tell, and counts 1 host). Checked at deploy and rollback, never afterwards.
    /// </summary>
    public int Instances { get; set; } = 200;
}
