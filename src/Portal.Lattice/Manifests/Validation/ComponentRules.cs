namespace Portal.Lattice.Manifests;

/// <summary>Checks of components: unique names and IDs, image XOR application, shared references, malformed traits.</summary>
internal static class ComponentRules
{
    public static void Check(Manifest manifest, DiagnosticSink sink)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < manifest.Components.Count; i++)
        {
            var component = manifest.Components[i];
            var path = ManifestPath.Item("spec.components", i);
            if (!names.Add(component.Name))
            {
                sink.Error(path + ".name", $"duplicate component name `{component.Name}`");
            }
            if (component.Properties.Id is { } id && !ids.Add(id))
            {
                sink.Error(path + ".properties.id", $"duplicate component id `{id}`: every component needs its own");
            }
            CheckSource(component, path, sink);
            CheckTraits(component, path, sink);
        }
    }

    private static void CheckSource(ManifestComponent component, string path, DiagnosticSink sink)
    {
        var properties = component.Properties;
        switch (properties.Image, properties.Application)
        {
            case (not null, not null):
                sink.Error(path + ".properties", $"component `{component.Name}` has both `image` and `application`; give exactly one");
                break;
            case (null, null):
                sink.Error(path + ".properties", $"component `{component.Name}` has neither `image` nor `application`; give exactly one");
                break;
            case (null, not null):
                // The shared application owns the component: this manifest may link it, not run or configure it.
                if (properties.Config.Count > 0)
                {
                    sink.Error(path + ".properties.config", $"component `{component.Name}` refers to a shared application and cannot have config");
                }
                if (properties.Secrets.Count > 0)
                {
                    sink.Error(path + ".properties.secrets", $"component `{component.Name}` refers to a shared application and cannot have secrets");
                }
                for (var t = 0; t < component.Traits.Count; t++)
                {
                    if (component.Traits[t] is ScalerTrait scaler)
                    {
                        sink.Error(ManifestPath.Item(path + ".traits", t),
                            $"component `{component.Name}` refers to a shared application and cannot have a {scaler.Type} trait");
                    }
                }
                break;
        }
    }

    private static void CheckTraits(ManifestComponent component, string path, DiagnosticSink sink)
    {
        for (var t = 0; t < component.Traits.Count; t++)
        {
            if (component.Traits[t] is CustomTrait custom && ManifestTrait.IsWellKnownType(custom.Type))
            {
                sink.Error(ManifestPath.Item(path + ".traits", t) + ".properties", ManifestReader.MalformedTraitMessage);
            }
        }
    }
}
