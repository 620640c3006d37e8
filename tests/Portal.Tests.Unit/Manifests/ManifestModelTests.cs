using Portal.Lattice.Manifests;

namespace Portal.Tests.Unit.Manifests;

/// <summary>The model is convenient to walk (scalers, links, annotations) and compares by value.</summary>
public sealed class ManifestModelTests
{
    [Fact]
    public void Exposes_scalers_links_and_annotations()
    {
        var manifest = Parse("kv-counter.yaml");

        Assert.Equal("rust-http-kv", manifest.Name);
        Assert.Equal("v0.0.2", manifest.Version);
        Assert.Equal("HTTP counter backed by Redis", manifest.Description);
        Assert.False(manifest.IsShared);

        var counter = manifest.FindComponent("counter")!;
        Assert.Equal(ComponentType.Component, counter.Type);
        Assert.Equal(ScalerKind.Spread, counter.Scaler!.Kind);
        Assert.Equal(10, counter.Scaler.Properties.Instances);
        Assert.Equal([80, 20], counter.Scaler.Properties.Spread.Select(s => s.Weight));
        Assert.Equal("us-east-1", counter.Scaler.Properties.Spread[0].Requirements["zone"]);
        var link = Assert.Single(counter.Links).Properties;
        Assert.Equal(("wasi", "keyvalue", "default", "kvredis"), (link.Namespace, link.Package, link.Name, link.Target.Name));
        Assert.Equal(["atomics", "store"], link.Interfaces);
        Assert.Equal("redis://127.0.0.1:6379", link.Target.Config[0].Properties!["url"]);
        Assert.Empty(link.SourceConfig);

        var redis = manifest.FindComponent("kvredis")!;
        Assert.Equal(ScalerKind.Daemon, redis.Scaler!.Kind);
        Assert.Equal("daemonscaler", redis.Scaler.Type);
        Assert.Equal(Spread.DefaultWeight, redis.Scaler.Properties.Spread[0].Weight);
        Assert.Equal("true", redis.Scaler.Properties.Spread[0].Requirements["kv"]);

        Assert.Null(manifest.FindComponent("httpserver")!.Scaler);
    }

    [Fact]
    public void Keeps_the_authors_key_order_and_custom_traits_as_raw_data()
    {
        var manifest = Parse("secrets-policies.yaml");

        var api = manifest.FindComponent("api")!;
        Assert.Equal(["currency", "retry", "empty"], api.Properties.Config[1].Properties!.Keys);
        Assert.False(api.Properties.Config[0].IsOwned);
        var custom = Assert.IsType<CustomTrait>(api.Traits[2]);
        Assert.Equal("example.dev/autoscaler", custom.Type);
        var properties = Assert.IsType<ManifestMapping>(custom.Properties).Entries;
        Assert.Equal(new ManifestScalar("16", ManifestScalarKind.Number), properties["max"]);
        Assert.Equal(new ManifestScalar("true", ManifestScalarKind.Boolean), properties["enabled"]);
        Assert.Equal(new ManifestScalar("null", ManifestScalarKind.Null), properties["note"]);
        var tags = Assert.IsType<ManifestSequence>(properties["tags"]).Items;
        Assert.All(tags, t => Assert.Equal(ManifestScalarKind.String, ((ManifestScalar)t).Kind));
        Assert.Equal(["ratio", "enabled"], properties.Keys.Skip(2).Take(2));
        Assert.Contains("- \"yes\"", ManifestWriter.ToYaml(manifest), StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_link_forms_read_into_the_current_shape()
    {
        var manifest = Parse("legacy-link.yaml");

        var echo = manifest.FindComponent("echo")!;
        Assert.Equal(ComponentType.Component, echo.Type);
        Assert.Equal(2, echo.Scaler!.Properties.Instances);
        var toStore = Assert.Single(echo.Links).Properties;
        Assert.Equal("store", toStore.Target.Name);
        Assert.Equal("bucket", Assert.Single(toStore.Target.Config).Name);
        var fromGateway = Assert.Single(manifest.FindComponent("gateway")!.Links).Properties;
        Assert.Equal("listen", Assert.Single(fromGateway.SourceConfig).Name);

        var yaml = ManifestWriter.ToYaml(manifest);
        Assert.DoesNotContain("source_config", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("target_config", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("actor", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_wins_over_source_config()
    {
        var document = ManifestParser.Parse(Link("""
            source: {config: [{name: new}]}
            source_config: [{name: old}]
            """));

        Assert.Equal("new", Assert.Single(document.Manifest!.Components[0].Links).Properties.SourceConfig[0].Name);
        var warning = Assert.Single(ManifestValidator.Validate(document), d => d.Severity == ManifestSeverity.Warning);
        Assert.Contains("ignored here, because `source` is given", warning.Message, StringComparison.Ordinal);
        Assert.Equal("spec.components[0].traits[0].properties.source_config", warning.Path);
        Assert.Equal(20, warning.Line);
    }

    [Fact]
    public void Equal_manifests_are_equal_and_a_change_is_seen()
    {
        var a = Parse("kv-counter.yaml");
        var b = Parse("kv-counter.yaml");
        var changed = a with { Metadata = a.Metadata with { Labels = [new("tier", "gold")] } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, changed);
    }

    internal static string Link(string extraLinkLines) =>
        $$"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: app
          annotations: {}
        spec:
          components:
            - name: kv
              type: capability
              properties:
                image: ghcr.io/example/kv:1.0.0
              traits:
                - type: link
                  properties:
                    namespace: wasi
                    package: keyvalue
                    interfaces: [store]
                    target: {name: kv}
        {{string.Join("\n", extraLinkLines.Split('\n').Select(l => "            " + l))}}
        """;

    private static Manifest Parse(string fixture) => ManifestParser.Parse(ManifestFixtures.Read("good", fixture)).Manifest!;
}
