using Portal.Lattice.Manifests;
using Portal.Web.Components.Applications.Editor;

namespace Portal.Tests.Web.Applications;

/// <summary>The link editor's rules and the builder's edits, which the canvas and the YAML rely on.</summary>
public sealed class LinkEditingTests
{
    private static readonly CatalogEntry Hello = new("hello", "reg/t/hello:1", true, ["wasi:logging/logging"], ["wasi:http/incoming-handler@0.2.0"]);
    private static readonly CatalogEntry HttpServer = new("httpserver", "wasmcloud+builtin://http-server", true, ["wasi:http/incoming-handler"], []);

    [Fact]
    public void The_http_server_may_call_a_component_that_exports_the_handler()
    {
        var result = LinkCompatibility.Check(HttpServer, Hello);
        Assert.True(result.Allowed);
        var option = Assert.Single(result.Options);
        Assert.Equal(("wasi", "http"), (option.Namespace, option.Package));
        Assert.Equal(["incoming-handler"], option.Interfaces);
    }

    [Fact]
    public void The_wrong_direction_is_refused_with_the_reason_and_the_way_that_works()
    {
        var result = LinkCompatibility.Check(Hello, HttpServer);
        Assert.False(result.Allowed);
        Assert.Equal("httpserver exports no interface that hello imports. The other way round works: drag from httpserver to hello.", result.Refusal);
    }

    [Fact]
    public void Unknown_images_are_refused_rather_than_guessed()
    {
        var result = LinkCompatibility.Check(HttpServer, new CatalogEntry("other", "ghcr.io/x/y:1", false, [], []));
        Assert.Contains("does not know what other (ghcr.io/x/y:1) exports", result.Refusal);
    }

    [Fact]
    public void Renaming_a_component_carries_into_the_links_that_target_it_and_removing_drops_them()
    {
        var item = new CatalogItem("hello:1", "reg/t/hello:1", ComponentType.Component, "hello", [], []);
        var server = new CatalogItem("http-server", "wasmcloud+builtin://http-server", ComponentType.Capability, "httpserver", [], []);
        var manifest = ManifestEdits.AddComponent(ManifestEdits.New("demo"), item, out _);
        manifest = ManifestEdits.AddComponent(manifest, server, out var serverName);
        var link = new LinkProperties("wasi", "http", ["incoming-handler"], "default", new LinkTarget("hello", [], []), null);
        manifest = ManifestEdits.SetLink(manifest, serverName, null, link);

        var renamed = ManifestEdits.ReplaceComponent(manifest, "hello", manifest.FindComponent("hello")! with { Name = "greeter" });
        Assert.Equal("greeter", renamed.FindComponent(serverName)!.Links.Single().Properties.Target.Name);
        Assert.Equal("wasi:http/incoming-handler (default)", LinkGraphModel.From(renamed).Edges.Single().Label);

        var removed = ManifestEdits.RemoveComponent(renamed, "greeter");
        Assert.Empty(removed.FindComponent(serverName)!.Links);
        Assert.DoesNotContain(ManifestValidator.Validate(removed), d => d.Severity == ManifestSeverity.Error);
    }

    [Fact]
    public void A_built_manifest_round_trips_through_the_yaml_the_editor_shows()
    {
        var item = new CatalogItem("hello:1", "reg/t/hello:1", ComponentType.Component, "hello", [], []);
        var manifest = ManifestEdits.WithMetadata(ManifestEdits.AddComponent(ManifestEdits.New("demo"), item, out _), "demo", "v2", "A demo");
        var draft = new ComponentDraft(manifest.FindComponent("hello")!) { Scaler = ManifestTrait.SpreadScalerType, Instances = 3 };
        draft.Spreads.Add(new SpreadDraft { Name = "eu", Requirements = "zone=eu, arch=x86_64", Weight = 80 });
        manifest = ManifestEdits.ReplaceComponent(manifest, "hello", draft.Build(out var error)!);
        Assert.Null(error);

        var yaml = ManifestWriter.ToYaml(manifest);
        Assert.Contains("instances: 3", yaml);
        Assert.Contains("zone: eu", yaml);
        Assert.Equal(manifest, ManifestParser.Parse(yaml).Manifest);
    }

    [Fact]
    public void Markers_underline_the_word_at_the_position()
    {
        var marker = YamlMarker.From(new ManifestDiagnostic(ManifestSeverity.Error, "bogus", 2, 1, "unknown field"), "a: 1\nbogus: 1\n");
        Assert.Equal(new YamlMarker(2, 1, 5, "unknown field", "error"), marker);
    }
}
