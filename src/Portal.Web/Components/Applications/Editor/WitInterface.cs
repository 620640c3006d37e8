namespace Portal.Web.Components.Applications.Editor;

/// <summary>
/// A WIT interface as the inspector and the provider catalog name it
/// (<c>wasi:http/incoming-handler@0.2.0</c>), split the way a link trait spells it:
/// namespace, package and interface. The version is dropped: wadm links do not carry it.
/// </summary>
public sealed record WitInterface(string Namespace, string Package, string Interface)
{
    /// <summary>Reads <c>ns:pkg/iface[@version]</c>; null for names that are not interfaces (e.g. plain WASI functions).</summary>
    public static WitInterface? TryParse(string name)
    {
        var at = name.IndexOf('@');
        var text = at < 0 ? name : name[..at];
        var colon = text.IndexOf(':');
        var slash = text.IndexOf('/', colon + 1);
        if (colon <= 0 || slash <= colon + 1 || slash == text.Length - 1) return null;
        return new WitInterface(text[..colon], text[(colon + 1)..slash], text[(slash + 1)..]);
    }

    public override string ToString() => $"{Namespace}:{Package}/{Interface}";
}
