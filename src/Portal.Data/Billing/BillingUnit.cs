namespace Portal.Data.Billing;

/// <summary>
/// What a plan counts. The first group are limits checked at the point of change (admission);
/// the last group are metered over time and only priced. Stored by name, so adding a unit needs
/// no migration and reordering changes nothing.
/// </summary>
public enum BillingUnit
{
    /// <summary>Applications the tenant has (versions do not count).</summary>
    Applications,

    /// <summary>Components (actors) named by the tenant's deployed versions, across its lattices.</summary>
    DeployedComponents,

    /// <summary>Component instances of all deployed versions together, as the plan step counts them.</summary>
    Instances,

    /// <summary>Capability providers named by the tenant's deployed versions, across its lattices.</summary>
    Providers,

    /// <summary>Links (link traits) of the tenant's deployed versions, across its lattices.</summary>
    Links,

    /// <summary>Lattices (environments) the tenant has.</summary>
    Lattices,

    /// <summary>Stored artifact bytes (deduplicated blobs plus uploads in progress).</summary>
    ArtifactStorageBytes,

    /// <summary>Artifacts (name and tag) the tenant has.</summary>
    ArtifactCount,

    /// <summary>REST requests per minute for the whole tenant; always a hard cap.</summary>
    ApiRequestsPerMinute,

    /// <summary>Actor invocations per calendar month (metered where hosts report them).</summary>
    InvocationsPerMonth,

    /// <summary>Metered: seconds actor instances ran, summed over instances.</summary>
    ActorInstanceSeconds,

    /// <summary>Metered: seconds provider instances ran, summed over instances.</summary>
    ProviderInstanceSeconds,

    /// <summary>Metered: stored bytes sampled over time, in byte-hours.</summary>
    StorageByteHours,
}
