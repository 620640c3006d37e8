using Portal.Lattice.Manifests;

namespace Portal.Tests.Unit.Manifests;

/// <summary>Validation of manifests built in code (no text, so no positions) and of whole documents.</summary>
public sealed class ManifestValidatorTests
{
    [Fact]
    public void Validates_a_manifest_built_in_code_without_positions()
    {
        var manifest = new Manifest(Manifest.OamApiVersion, Manifest.ApplicationKind,
            new ManifestMetadata("app", [new("version", "latest")], []),
            new ManifestSpec(
            [
                new ManifestComponent("web", ComponentType.Component, ComponentProperties.FromImage("ghcr.io/example/web:1"),
                [
                    new ScalerTrait(ScalerKind.Spread, new ScalerProperties(1, [])),
                    new LinkTrait(new LinkProperties("wasi", "http", ["outgoing-handler", "sideways-handler"], LinkProperties.DefaultName,
                        new LinkTarget("ghost", [], []), null)),
                    new CustomTrait("daemonscaler", new ManifestMapping([new("instances", new ManifestScalar("x", ManifestScalarKind.String))])),
                ]),
            ], []));

        var diagnostics = ManifestValidator.Validate(manifest);

        Assert.Equal(
        [
            (ManifestSeverity.Error, "metadata.annotations.version"),
            (ManifestSeverity.Error, "spec.components[0].traits[2].properties"),
            (ManifestSeverity.Error, "spec.components[0].traits[1].properties.target.name"),
            (ManifestSeverity.Warning, "spec.components[0].traits[1].properties.target.name"),
            (ManifestSeverity.Warning, "spec.components[0].traits[1].properties.interfaces[1]"),
        ], diagnostics.Select(d => (d.Severity, d.Path)));
        Assert.All(diagnostics, d => Assert.Equal((0, 0), (d.Line, d.Column)));
    }

    [Fact]
    public void Legacy_fixture_is_valid_with_deprecation_warnings()
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("good", "legacy-link.yaml"));

        var diagnostics = ManifestValidator.Validate(document);

        Assert.All(diagnostics, d => Assert.Equal(ManifestSeverity.Warning, d.Severity));
        Assert.Equal(
        [
            ("spec.components[0].traits[1].properties.target", 20, 21),
            ("spec.components[0].traits[1].properties.target_config", 25, 15),
            ("spec.components[2].traits[0].properties.source_config", 44, 15),
            ("spec.components[2].traits[0].properties.target", 39, 21),
        ], diagnostics.Select(d => (d.Path, d.Line, d.Column)).Order());
    }

    [Fact]
    public void A_malformed_trait_is_reported_once_by_parse_and_validation_together()
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("bad", "malformed-scaler-trait.yaml"));

        Assert.NotNull(document.Manifest);
        Assert.Single(ManifestValidator.Validate(document), d => d.Message.StartsWith("Link/Scaler", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("app", null)]
    [InlineData("wasmcloud.dev/authors", null)]
    [InlineData("a-b_c.d", null)]
    [InlineData("", "1 to 63")]
    [InlineData("x/", "1 to 63")]
    [InlineData("/x", "DNS subdomain")]
    [InlineData("1abc.dev/x", "DNS subdomain")]
    [InlineData("ends-with-dash-", "start and end")]
    public void Label_keys_follow_the_name_and_prefix_rules(string key, string? problem)
    {
        var actual = ManifestValidator.Validate(new Manifest("v", "k", new ManifestMetadata("app", [], [new(key, "v")]), new ManifestSpec([], [])));

        if (problem is null)
        {
            Assert.Empty(actual);
        }
        else
        {
            Assert.Contains(problem, Assert.Single(actual).Message, StringComparison.Ordinal);
        }
    }
}
