using Portal.Lattice.Manifests;

namespace Portal.Tests.Unit.Manifests;

/// <summary>Format handling, wrong types, positions, and the promise that nothing throws.</summary>
public sealed class ManifestParserTests
{
    private const string Minimal = """
        {"apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
         "metadata": {"name": "app", "annotations": {}},
         "spec": {"components": [{"name": "c", "type": "component", "properties": {"image": "x"},
                   "traits": [{"type": "spreadscaler", "properties": {"instances": 2}}]}]}}
        """;

    [Fact]
    public void Json_format_refuses_yaml()
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("good", "hello-world.yaml"), ManifestFormat.Json);

        Assert.Null(document.Manifest);
        var error = Assert.Single(document.Diagnostics);
        Assert.StartsWith("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Json_format_refuses_trailing_commas_and_comments()
    {
        Assert.Null(ManifestParser.Parse(Minimal.Replace("{}}", "{},}"), ManifestFormat.Json).Manifest);
        Assert.Null(ManifestParser.Parse("// c\n" + Minimal, ManifestFormat.Json).Manifest);
        Assert.NotNull(ManifestParser.Parse(Minimal, ManifestFormat.Json).Manifest);
    }

    [Fact]
    public void Json_is_strict_about_strings_and_numbers_with_positions()
    {
        var document = ManifestParser.Parse(Minimal.Replace("\"name\": \"c\"", "\"name\": 7").Replace("\"instances\": 2", "\"instances\": \"2\""), ManifestFormat.Json);

        Assert.Null(document.Manifest);
        Assert.Collection(document.Diagnostics,
            d => Assert.Equal((ManifestSeverity.Error, "spec.components[0].name", 3, 35, "expected a string, found number 7"), (d.Severity, d.Path, d.Line, d.Column, d.Message)),
            d => Assert.Equal(("spec.components[0].traits[0].properties", 4, 62), (d.Path, d.Line, d.Column)),
            d => Assert.Equal(("spec.components[0].traits[0].properties.instances", 4, 76, "expected an unsigned integer, found string \"2\""), (d.Path, d.Line, d.Column, d.Message)));
    }

    [Fact]
    public void Yaml_reads_plain_scalars_as_strings_where_strings_are_expected()
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("good", "hello-world.yaml").Replace("version: v0.0.1", "version: 1.0"));

        Assert.Equal("1.0", document.Manifest!.Version);
        Assert.Contains("version: \"1.0\"", ManifestWriter.ToYaml(document.Manifest), StringComparison.Ordinal);
    }

    [Fact]
    public void Null_and_containers_are_not_strings()
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("good", "hello-world.yaml")
            .Replace("name: rust-hello-world", "name: ~")
            .Replace("image: ghcr.io/wasmcloud/http-server:0.27.0", "image: [a, b]"));

        Assert.Null(document.Manifest);
        Assert.Equal(["metadata.name", "spec.components[1].properties.image"], document.Diagnostics.Select(d => d.Path));
        Assert.Contains("missing field `name`", document.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Contains("expected a string, found a sequence", document.Diagnostics[1].Message, StringComparison.Ordinal);
        Assert.Equal((22, 16), (document.Diagnostics[1].Line, document.Diagnostics[1].Column));
    }

    [Fact]
    public void Positions_are_available_for_callers_own_checks()
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("good", "hello-world.yaml"));

        Assert.Equal(new ManifestPosition(14, 16), document.PositionOf("spec.components[0].properties.image"));
        // A path the text does not hold falls back to its nearest ancestor.
        Assert.Equal(new ManifestPosition(14, 9), document.PositionOf("spec.components[0].properties.id"));
        var mine = document.Diagnostic(ManifestSeverity.Error, "spec.components[0].properties.image", "artifact not found");
        Assert.Equal((14, 16), (mine.Line, mine.Column));
    }

    [Fact]
    public void Quoted_keys_get_bracketed_paths()
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("good", "shared-provider.yaml"));

        Assert.True(document.SourceMap.Contains("metadata.annotations['experimental.wasmcloud.dev/shared']"));
        Assert.True(document.Manifest!.IsShared);
        Assert.Equal("metadata.annotations", ManifestPath.Parent("metadata.annotations['experimental.wasmcloud.dev/shared']"));
    }

    [Fact]
    public void Empty_and_multi_document_texts_are_errors()
    {
        Assert.Contains("empty", Assert.Single(ManifestParser.Parse("").Diagnostics).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Single(ManifestParser.Parse("# only a comment\n").Diagnostics).Message, StringComparison.Ordinal);
        var multi = ManifestParser.Parse(Minimal + "\n---\n" + Minimal);
        Assert.Contains("single YAML document", Assert.Single(multi.Diagnostics).Message, StringComparison.Ordinal);
        Assert.Contains("expected a mapping", Assert.Single(ManifestParser.Parse("- a\n- b\n").Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_that_expand_exponentially_are_stopped()
    {
        var bomb = $$"""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata:
              name: app
              annotations: {}
            spec:
              components:
                - name: c
                  type: component
                  properties: {image: x}
                  traits:
                    - type: bomb
                      properties:
                        l0: &l0 [lol]
            {{string.Join("\n", Enumerable.Range(1, 30).Select(i => $"            l{i}: &l{i} [*l{i - 1}, *l{i - 1}]"))}}
            """;

        var document = ManifestParser.Parse(bomb);

        Assert.Null(document.Manifest);
        Assert.Contains(document.Diagnostics, d => d.Message.Contains("expands to more than", StringComparison.Ordinal));
    }

    [Fact]
    public void Never_throws_on_truncated_or_mutated_fixtures()
    {
        var random = new Random(20240601);
        const string noise = ":-[]{}\"' \n\t#&*!|>%@`,?~0x";
        foreach (var name in ManifestFixtures.Names("good"))
        {
            var text = ManifestFixtures.Read("good", name);
            for (var cut = 0; cut < text.Length; cut += 5)
            {
                Exercise(text[..cut]);
            }
            for (var round = 0; round < 300; round++)
            {
                var chars = text.ToCharArray().ToList();
                for (var edits = random.Next(1, 4); edits > 0; edits--)
                {
                    var at = random.Next(chars.Count);
                    switch (random.Next(3))
                    {
                        case 0: chars[at] = noise[random.Next(noise.Length)]; break;
                        case 1: chars.RemoveAt(at); break;
                        default: chars.Insert(at, noise[random.Next(noise.Length)]); break;
                    }
                }
                Exercise(new string([.. chars]));
            }
        }
    }

    private static void Exercise(string text)
    {
        foreach (var format in new ManifestFormat?[] { null, ManifestFormat.Json })
        {
            var document = ManifestParser.Parse(text, format);
            var all = ManifestValidator.Validate(document);
            Assert.All(all, d => Assert.False(string.IsNullOrEmpty(d.Message)));
            if (document.Manifest is { } manifest)
            {
                Assert.Equal(manifest, ManifestParser.Parse(ManifestWriter.ToYaml(manifest)).Manifest);
                Assert.Equal(manifest, ManifestParser.Parse(ManifestWriter.ToJson(manifest), ManifestFormat.Json).Manifest);
            }
            else
            {
                Assert.Contains(document.Diagnostics, d => d.Severity == ManifestSeverity.Error);
            }
        }
    }
}
