using System.Collections.Immutable;

namespace Portal.Lattice.Inspection;

/// <summary>A component's top-level imports and exports: the WIT world it was built for.</summary>
public sealed record WitWorld(ImmutableArray<WitWorldItem> Imports, ImmutableArray<WitWorldItem> Exports)
{
    /// <summary>Full names of imported interfaces, e.g. <c>wasi:io/streams@0.2.0</c>.</summary>
    public IEnumerable<string> ImportedInterfaces => Imports.Where(i => i.Interface is not null).Select(i => i.Name);

    /// <summary>Full names of exported interfaces, e.g. <c>wasi:http/incoming-handler@0.2.0</c>.</summary>
    public IEnumerable<string> ExportedInterfaces => Exports.Where(i => i.Interface is not null).Select(i => i.Name);
}

/// <summary>What a component import or export is (the component model's sorts).</summary>
public enum WitItemKind
{
    CoreModule,
    Function,
    Value,
    Type,
    Component,
    Instance,
}

/// <summary>
/// One import or export. <see cref="Interface"/> is set when the name is an interface name
/// (<c>namespace:package/interface@version</c>) of an instance; plain names (<c>run</c>) leave it null.
/// </summary>
public sealed record WitWorldItem(string Name, WitItemKind Kind, WitInterfaceName? Interface);

/// <summary>
/// A parsed interface name: <c>wasi:http/incoming-handler@0.2.0</c> is namespace <c>wasi</c>,
/// package <c>http</c>, interface <c>incoming-handler</c>, version <c>0.2.0</c>.
/// </summary>
public sealed record WitInterfaceName(string Namespace, string Package, string Interface, string? Version)
{
    /// <summary>The name without its version, as links name interfaces (<c>wasi:http/incoming-handler</c>).</summary>
    public string Unversioned => $"{Namespace}:{Package}/{Interface}";

    public override string ToString() => Version is null ? Unversioned : $"{Unversioned}@{Version}";

    /// <summary>
    /// Reads <c>ns:pkg/iface[@version]</c>; null for anything else. Nested package paths
    /// (<c>ns:a:b/c/d</c>, a proposal) keep everything after the first ':' and '/' respectively.
    /// </summary>
    public static WitInterfaceName? TryParse(string name)
    {
        var at = name.IndexOf('@');
        var path = at < 0 ? name : name[..at];
        var version = at < 0 ? null : name[(at + 1)..];
        var colon = path.IndexOf(':');
        var slash = path.IndexOf('/');
        if (colon <= 0 || slash <= colon + 1 || slash == path.Length - 1 || version is "") return null;
        return new WitInterfaceName(path[..colon], path[(colon + 1)..slash], path[(slash + 1)..], version);
    }
}
