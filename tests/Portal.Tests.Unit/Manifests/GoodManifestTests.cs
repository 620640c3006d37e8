using Portal.Lattice.Manifests;

namespace Portal.Tests.Unit.Manifests;

/// <summary>Every manifest under Fixtures/good reads without errors and survives both writers unchanged.</summary>
public sealed class GoodManifestTests
{
    public static TheoryData<string> Fixtures => new(ManifestFixtures.Names("good"));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parses_and_validates_without_errors(string name)
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("good", name), ManifestFixtures.FormatOf(name));

        Assert.NotNull(document.Manifest);
        var errors = ManifestValidator.Validate(document).Where(d => d.Severity == ManifestSeverity.Error);
        Assert.Empty(errors);
    }

    // Equality of the model is by value: ValueList and OrderedMap compare their contents, so the
    // records' generated Equals compares whole manifests.
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Round_trips_through_yaml_with_stable_output(string name)
    {
        var manifest = ParseGood(name);

        var yaml = ManifestWriter.ToYaml(manifest);
        var reparsed = ManifestParser.Parse(yaml, ManifestFormat.Yaml);

        Assert.Empty(reparsed.Diagnostics);
        Assert.Equal(manifest, reparsed.Manifest);
        Assert.Equal(yaml, ManifestWriter.ToYaml(reparsed.Manifest!));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Round_trips_through_json_with_stable_output(string name)
    {
        var manifest = ParseGood(name);

        var json = ManifestWriter.ToJson(manifest);
        var reparsed = ManifestParser.Parse(json, ManifestFormat.Json);

        Assert.Empty(reparsed.Diagnostics);
        Assert.Equal(manifest, reparsed.Manifest);
        Assert.Equal(json, ManifestWriter.ToJson(reparsed.Manifest!));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Json_output_reads_as_yaml_too(string name)
    {
        var manifest = ParseGood(name);

        Assert.Equal(manifest, ManifestParser.Parse(ManifestWriter.ToJson(manifest)).Manifest);
    }

    private static Manifest ParseGood(string name)
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("good", name), ManifestFixtures.FormatOf(name));
        return document.Manifest ?? throw new InvalidOperationException(string.Join("\n", document.Diagnostics));
    }
}
