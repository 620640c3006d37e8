namespace Portal.Web.Components.Shell;

/// <summary>One entry of the console's left navigation.</summary>
public sealed record NavigationItem(string Title, string Path, string Icon);

/// <summary>The console's sections, in the order the left navigation shows them.</summary>
public static class ConsoleNavigation
{
    public static readonly IReadOnlyList<NavigationItem> Items =
    [
        new("Overview", "", "dashboard"),
        new("Actors", "actors", "widgets"),
        new("Providers", "providers", "extension"),
        new("Applications", "applications", "apps"),
        new("Topology", "topology", "hub"),
        new("Hosts", "hosts", "dns"),
        new("Audit", "audit", "history"),
        new("Usage & billing", "usage", "receipt_long"),
        new("Settings", "settings", "settings"),
    ];
}
