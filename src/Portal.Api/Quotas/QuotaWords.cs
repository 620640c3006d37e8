using Portal.Data.Billing;

namespace Portal.Api.Quotas;

/// <summary>How quota messages and problem fields name a unit.</summary>
public static class QuotaWords
{
    public static string Of(BillingUnit unit) => unit switch
    {
        BillingUnit.Applications => "applications",
        BillingUnit.DeployedComponents => "deployed components",
        BillingUnit.Instances => "instances",
        BillingUnit.Providers => "providers",
        BillingUnit.Links => "links",
        BillingUnit.Lattices => "lattices",
        BillingUnit.ArtifactStorageBytes => "artifact storage",
        BillingUnit.ArtifactCount => "artifacts",
        BillingUnit.ApiRequestsPerMinute => "API requests per minute",
        BillingUnit.InvocationsPerMonth => "invocations per month",
        _ => unit.ToString(),
    };

    /// <summary>The problem's <c>quota</c> field: the unit in camelCase (<c>applications</c>, <c>deployedComponents</c>).</summary>
    public static string Key(BillingUnit unit) => char.ToLowerInvariant(unit.ToString()[0]) + unit.ToString()[1..];

    /// <summary>An amount of a unit as people read it (bytes in KiB/MiB/GiB).</summary>
    public static string Amount(BillingUnit unit, long value) =>
        unit == BillingUnit.ArtifactStorageBytes ? ByteSize.Describe(value) : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
