namespace Portal.Web.Components.Applications.Editor;

/// <summary>One namespace:package both ends share, with the interfaces a link over it may carry.</summary>
public sealed record LinkOption(string Namespace, string Package, IReadOnlyList<string> Interfaces)
{
    public string Key => $"{Namespace}:{Package}";
}

/// <summary>Whether a link may go from one end to the other: the options, or why there are none.</summary>
public sealed record LinkCompatibilityResult(IReadOnlyList<LinkOption> Options, string? Refusal)
{
    public bool Allowed => Refusal is null;
}

/// <summary>
/// Which link traits make sense between two manifest components. A link carries calls from its
/// source to its target, so the source must import what the target exports (the HTTP server
/// provider imports <c>wasi:http/incoming-handler</c>, which an HTTP component exports). Offering
/// only that intersection keeps people from drawing links the host would refuse at run time.
/// </summary>
public static class LinkCompatibility
{
    public static LinkCompatibilityResult Check(CatalogEntry source, CatalogEntry target)
    {
        if (source.Name == target.Name)
            return Refuse($"{source.Name} cannot be linked to itself.");
        if (!source.Known)
            return Refuse($"The portal does not know what {source.Name} ({source.Image}) imports; write this link in the YAML instead.");
        if (!target.Known)
            return Refuse($"The portal does not know what {target.Name} ({target.Image}) exports; write this link in the YAML instead.");

        var shared = Shared(source, target);
        if (shared.Count > 0) return new LinkCompatibilityResult(shared, null);

        // Say which way round would work: people often drag from the component to the HTTP server.
        var reverse = Shared(target, source).Count > 0 ? $" The other way round works: drag from {target.Name} to {source.Name}." : "";
        return Refuse($"{target.Name} exports no interface that {source.Name} imports.{reverse}");
    }

    private static List<LinkOption> Shared(CatalogEntry source, CatalogEntry target)
    {
        var exported = target.Exports.Select(WitInterface.TryParse).OfType<WitInterface>().ToHashSet();
        return source.Imports.Select(WitInterface.TryParse).OfType<WitInterface>()
            .Where(exported.Contains)
            .Distinct()
            .GroupBy(i => (i.Namespace, i.Package))
            .Select(g => new LinkOption(g.Key.Namespace, g.Key.Package, g.Select(i => i.Interface).Order(StringComparer.Ordinal).ToList()))
            .OrderBy(o => o.Key, StringComparer.Ordinal)
            .ToList();
    }

    private static LinkCompatibilityResult Refuse(string reason) => new([], reason);
}
