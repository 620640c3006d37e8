namespace Portal.Lattice.Manifests;

/// <summary>Checks of link traits: targets, duplicates, owned config names, known interfaces, legacy fields.</summary>
internal static class LinkRules
{
    // The interfaces wadm knows per namespace:package; a namespace not listed here is not checked.
    private static readonly Dictionary<string, string[]> KnownInterfaces = new(StringComparer.Ordinal)
    {
        ["wasi:blobstore"] = ["blobstore"],
        ["wasi:config"] = ["runtime"],
        ["wasi:keyvalue"] = ["atomics", "store", "batch", "watch"],
        ["wasi:http"] = ["incoming-handler", "outgoing-handler"],
        ["wasi:logging"] = ["logging"],
        ["wrpc:blobstore"] = ["blobstore"],
        ["wrpc:keyvalue"] = ["atomics", "store"],
        ["wrpc:http"] = ["incoming-handler", "outgoing-handler"],
        ["wasmcloud:messaging"] = ["consumer", "handler"],
    };

    public static void Check(Manifest manifest, DiagnosticSink sink)
    {
        var componentNames = manifest.Components.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var ownedConfigs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < manifest.Components.Count; i++)
        {
            var component = manifest.Components[i];
            var seen = new HashSet<(string, string, string, string)>();
            for (var t = 0; t < component.Traits.Count; t++)
            {
                if (component.Traits[t] is not LinkTrait { Properties: var link })
                {
                    continue;
                }
                var path = $"{ManifestPath.Item("spec.components", i)}.traits[{t}].properties";
                CheckTarget(link, path, componentNames, sink);
                CheckInterfaces(component, link, path, seen, sink);
                CheckOwnedConfigs(link.SourceConfig, path + ".source.config", ownedConfigs, sink);
                CheckOwnedConfigs(link.Target.Config, path + ".target.config", ownedConfigs, sink);
                CheckLegacyFields(path, sink);
            }
        }
    }

    private static void CheckTarget(LinkProperties link, string path, HashSet<string> componentNames, DiagnosticSink sink)
    {
        if (componentNames.Contains(link.Target.Name))
        {
            return;
        }
        sink.Error(path + ".target.name", $"link target `{link.Target.Name}` is not a component of this manifest");
        sink.Warning(path + ".target.name",
            $"dangling link: {link.Namespace}:{link.Package} to `{link.Target.Name}` would never be put, as no component has that name");
    }

    private static void CheckInterfaces(ManifestComponent component, LinkProperties link, string path,
        HashSet<(string, string, string, string)> seen, DiagnosticSink sink)
    {
        KnownInterfaces.TryGetValue($"{link.Namespace}:{link.Package}", out var known);
        for (var k = 0; k < link.Interfaces.Count; k++)
        {
            var name = link.Interfaces[k];
            var interfacePath = ManifestPath.Item(path + ".interfaces", k);
            if (!seen.Add((link.Name, link.Namespace, link.Package, name)))
            {
                // A host keeps one target per (source, namespace, package, link name) and interface.
                sink.Error(interfacePath,
                    $"component `{component.Name}` already has a link named `{link.Name}` for {link.Namespace}:{link.Package}/{name}; give one of them another `name`");
            }
            if (known is not null && !known.Contains(name))
            {
                sink.Warning(interfacePath,
                    $"unknown interface `{name}` in {link.Namespace}:{link.Package} (known: {string.Join(", ", known)})");
            }
        }
    }

    private static void CheckOwnedConfigs(ValueList<ConfigProperty> configs, string listPath, HashSet<string> ownedConfigs, DiagnosticSink sink)
    {
        for (var c = 0; c < configs.Count; c++)
        {
            // wadm creates one config per name; two links giving properties under one name would overwrite each other.
            if (configs[c].IsOwned && !ownedConfigs.Add(configs[c].Name))
            {
                sink.Error(ManifestPath.Item(listPath, c) + ".name",
                    $"config `{configs[c].Name}` is given properties by more than one link; use distinct names");
            }
        }
    }

    private static void CheckLegacyFields(string path, DiagnosticSink sink)
    {
        var map = sink.SourceMap;
        if (map.Contains(path + ".source_config"))
        {
            sink.Warning(path + ".source_config", map.Contains(path + ".source")
                ? "`source_config` is deprecated and ignored here, because `source` is given"
                : "`source_config` is deprecated; use `source: {config: [...]}`");
        }
        if (map.Contains(path + ".target_config"))
        {
            sink.Warning(path + ".target_config", map.Contains(path + ".target.config")
                ? "`target_config` is deprecated and ignored here, because `target.config` is given"
                : "`target_config` is deprecated; use `target: {name: ..., config: [...]}`");
        }
        if (map.Contains(path + ".target") && !map.Contains(path + ".target.name"))
        {
            sink.Warning(path + ".target", "a target given as a string is deprecated; use `target: {name: ...}`");
        }
    }
}
