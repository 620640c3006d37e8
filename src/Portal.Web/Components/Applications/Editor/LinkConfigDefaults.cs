using Portal.Api.Artifacts.Providers;

namespace Portal.Web.Components.Applications.Editor;

/// <summary>
/// The config a new link starts with on an end whose provider the catalog describes: the keys it
/// reads, each with the catalog's example (the HTTP server's <c>address</c>, key-value's
/// <c>bucket</c>), under a name that says which link it belongs to. People edit it; they no longer
/// have to know the keys.
/// </summary>
public static class LinkConfigDefaults
{
    public static LinkConfigRow? For(CatalogEntry end, string other)
    {
        if (end.ConfigKeys is not { Count: > 0 } keys) return null;
        var properties = keys.ToDictionary(k => k.Name, k => k.Example ?? "");
        return new LinkConfigRow { Name = $"{end.Name}-{other}", Properties = KeyValueText.Format(properties) };
    }

    /// <summary>"address: where to listen, host:port." for the help under an end's configs.</summary>
    public static string Describe(IReadOnlyList<ProviderConfigKey>? keys) =>
        keys is { Count: > 0 } ? string.Join("; ", keys.Select(k => $"{k.Name}: {k.Description}")) : "";
}

/// <summary>One config of one end of a link, as the dialog edits it: a name and key=value text.</summary>
public sealed class LinkConfigRow
{
    public string Name { get; set; } = "";
    public string Properties { get; set; } = "";
}
