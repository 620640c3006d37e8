using System.Globalization;

namespace Portal.Lattice.Manifests;

/// <summary>
/// The one place that decides the written shape: field names (as wadm spells them), their order,
/// and what is left out (empty optional lists, default link name and weight). Both writers emit this tree.
/// </summary>
internal static class ManifestTree
{
    public static ManifestMapping Of(Manifest manifest)
    {
        var metadata = new Fields()
            .Add("name", manifest.Metadata.Name)
            .Add("annotations", Strings(manifest.Metadata.Annotations))
            .AddIf(manifest.Metadata.Labels.Count > 0, "labels", () => Strings(manifest.Metadata.Labels));
        var spec = new Fields()
            .Add("components", List(manifest.Spec.Components, Component))
            .AddIf(manifest.Spec.Policies.Count > 0, "policies", () => List(manifest.Spec.Policies, Policy));
        return new Fields()
            .Add("apiVersion", manifest.ApiVersion)
            .Add("kind", manifest.Kind)
            .Add("metadata", metadata.Build())
            .Add("spec", spec.Build())
            .Build();
    }

    private static ManifestValue Component(ManifestComponent component)
    {
        var properties = component.Properties;
        var propertyFields = new Fields()
            .AddIf(properties.Image is not null, "image", () => Text(properties.Image!))
            .AddIf(properties.Application is not null, "application", () => new Fields()
                .Add("name", properties.Application!.Name)
                .Add("component", properties.Application.Component)
                .Build())
            .AddIf(properties.Id is not null, "id", () => Text(properties.Id!))
            .AddIf(properties.Config.Count > 0, "config", () => List(properties.Config, Config))
            .AddIf(properties.Secrets.Count > 0, "secrets", () => List(properties.Secrets, Secret));
        return new Fields()
            .Add("name", component.Name)
            .Add("type", component.Type == ComponentType.Capability ? "capability" : "component")
            .Add("properties", propertyFields.Build())
            .AddIf(component.Traits.Count > 0, "traits", () => List(component.Traits, Trait))
            .Build();
    }

    private static ManifestValue Trait(ManifestTrait trait) => new Fields()
        .Add("type", trait.Type)
        .Add("properties", trait switch
        {
            ScalerTrait scaler => Scaler(scaler.Properties),
            LinkTrait link => Link(link.Properties),
            CustomTrait custom => custom.Properties,
            _ => throw new NotSupportedException($"Unknown trait record {trait.GetType().Name}"),
        })
        .Build();

    private static ManifestValue Scaler(ScalerProperties scaler) => new Fields()
        .Add("instances", Number(scaler.Instances))
        .AddIf(scaler.Spread.Count > 0, "spread", () => List(scaler.Spread, spread => new Fields()
            .Add("name", spread.Name)
            .Add("requirements", Strings(spread.Requirements))
            .AddIf(spread.Weight != Spread.DefaultWeight, "weight", () => Number(spread.Weight))
            .Build()))
        .Build();

    private static ManifestValue Link(LinkProperties link)
    {
        var target = new Fields()
            .Add("name", link.Target.Name)
            .AddIf(link.Target.Config.Count > 0, "config", () => List(link.Target.Config, Config))
            .AddIf(link.Target.Secrets.Count > 0, "secrets", () => List(link.Target.Secrets, Secret));
        return new Fields()
            .AddIf(link.Name != LinkProperties.DefaultName, "name", () => Text(link.Name))
            .Add("namespace", link.Namespace)
            .Add("package", link.Package)
            .Add("interfaces", List(link.Interfaces, Text))
            .Add("target", target.Build())
            .AddIf(link.Source is not null, "source", () => new Fields()
                .AddIf(link.Source!.Config.Count > 0, "config", () => List(link.Source.Config, Config))
                .AddIf(link.Source.Secrets.Count > 0, "secrets", () => List(link.Source.Secrets, Secret))
                .Build())
            .Build();
    }

    private static ManifestValue Config(ConfigProperty config) => new Fields()
        .Add("name", config.Name)
        .AddIf(config.Properties is not null, "properties", () => Strings(config.Properties!))
        .Build();

    private static ManifestValue Secret(SecretProperty secret)
    {
        var source = secret.Properties;
        return new Fields()
            .Add("name", secret.Name)
            .Add("properties", new Fields()
                .Add("policy", source.Policy)
                .Add("key", source.Key)
                .AddIf(source.Field is not null, "field", () => Text(source.Field!))
                .AddIf(source.Version is not null, "version", () => Text(source.Version!))
                .Build())
            .Build();
    }

    private static ManifestValue Policy(ManifestPolicy policy) => new Fields()
        .Add("name", policy.Name)
        .Add("type", policy.Type)
        .Add("properties", Strings(policy.Properties))
        .Build();

    private static ManifestScalar Text(string text) => new(text, ManifestScalarKind.String);

    private static ManifestScalar Number(int value) => new(value.ToString(CultureInfo.InvariantCulture), ManifestScalarKind.Number);

    private static ManifestMapping Strings(OrderedMap<string> map) =>
        new(OrderedMap.From(map.Select(e => new KeyValuePair<string, ManifestValue>(e.Key, Text(e.Value)))));

    private static ManifestSequence List<T>(IEnumerable<T> items, Func<T, ManifestValue> write) =>
        new(ValueList.From(items.Select(write)));

    /// <summary>An ordered field list under construction.</summary>
    private sealed class Fields
    {
        private readonly List<KeyValuePair<string, ManifestValue>> _entries = [];

        public Fields Add(string name, ManifestValue value)
        {
            _entries.Add(new(name, value));
            return this;
        }

        public Fields Add(string name, string text) => Add(name, Text(text));

        public Fields AddIf(bool condition, string name, Func<ManifestValue> value) => condition ? Add(name, value()) : this;

        public ManifestMapping Build() => new(OrderedMap.From(_entries));
    }
}
