using Radzen;

namespace Portal.Web.Components.Applications;

/// <summary>
/// How wadm's status words look in the console. The words stay wadm's own (waiting, undeployed,
/// reconciling, deployed, failed, unhealthy) so what people read here matches wash and the API.
/// </summary>
public static class DeploymentStatusStyle
{
    public static readonly IReadOnlyList<string> Words = ["waiting", "undeployed", "reconciling", "deployed", "failed", "unhealthy"];

    public static BadgeStyle For(string? status) => status?.ToLowerInvariant() switch
    {
        "deployed" => BadgeStyle.Success,
        "reconciling" => BadgeStyle.Info,
        "waiting" => BadgeStyle.Secondary,
        "unhealthy" => BadgeStyle.Warning,
        "failed" => BadgeStyle.Danger,
        _ => BadgeStyle.Base,
    };

    /// <summary>What the word means, for the badge's tooltip when wadm sent no message.</summary>
    public static string Explain(string? status) => status?.ToLowerInvariant() switch
    {
        "deployed" => "Everything the manifest asks for is running.",
        "reconciling" => "The reconciler is starting or stopping things to match the manifest.",
        "waiting" => "Stored; waiting for the reconciler to act on it.",
        "unhealthy" => "Running, but something reports a problem.",
        "failed" => "The reconciler could not reach the desired state.",
        "undeployed" => "Nothing of this application should run on this lattice.",
        _ => "Unknown status.",
    };
}
