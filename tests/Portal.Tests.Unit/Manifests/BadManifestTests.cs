using Portal.Lattice.Manifests;

namespace Portal.Tests.Unit.Manifests;

/// <summary>
/// Every manifest under Fixtures/bad yields exactly the diagnostics declared here (parse and
/// validation together). A fixture without a declaration fails, so none can be added untested.
/// </summary>
public sealed class BadManifestTests
{
    private const ManifestSeverity E = ManifestSeverity.Error;
    private const ManifestSeverity W = ManifestSeverity.Warning;

    private static readonly Dictionary<string, Expected[]> Expectations = new(StringComparer.Ordinal)
    {
        ["name-with-dot.yaml"] = [new(E, "metadata.name", 4, 9, "invalid application name `my.app`")],
        ["version-latest.yaml"] = [new(E, "metadata.annotations.version", 6, 14, "the version `latest` is reserved")],
        ["bad-label-and-annotation-keys.yaml"] =
        [
            new(E, "metadata.annotations['-leading-dash']", 6, 20, "invalid annotation key `-leading-dash`"),
            new(E, "metadata.annotations['a/b/c']", 7, 12, "one `/` at most"),
            new(E, "metadata.labels['example..com/tier']", 9, 24, "the prefix must be a DNS subdomain"),
        ],
        ["duplicate-component-name.yaml"] = [new(E, "spec.components[1].name", 13, 13, "duplicate component name `hello`")],
        ["duplicate-id.yaml"] = [new(E, "spec.components[1].properties.id", 18, 13, "duplicate component id `same`")],
        ["link-target-missing.yaml"] =
        [
            new(E, "spec.components[0].traits[0].properties.target.name", 20, 21, "link target `nowhere` is not a component of this manifest"),
            new(W, "spec.components[0].traits[0].properties.target.name", 20, 21, "dangling link"),
        ],
        ["secret-unknown-policy.yaml"] =
            [new(E, "spec.components[0].properties.secrets[0].properties.policy", 16, 23, "policy `vault`, which spec.policies does not define")],
        ["secret-policy-rules.yaml"] =
        [
            new(E, "spec.components[0].properties.secrets[0].properties.policy", 24, 23, "has no `backend` property"),
            new(E, "spec.components[0].properties.secrets[1].properties.policy", 28, 23, "a secret needs a policy of type `policy.secret.wasmcloud.dev/v1alpha1`"),
        ],
        ["image-xor-application.yaml"] =
        [
            new(E, "spec.components[0].properties", 12, 9, "has both `image` and `application`"),
            new(E, "spec.components[1].properties", 19, 9, "has neither `image` nor `application`"),
        ],
        ["shared-component-restrictions.yaml"] =
        [
            new(E, "spec.components[1].properties.config", 18, 11, "refers to a shared application and cannot have config"),
            new(E, "spec.components[1].properties.secrets", 21, 11, "cannot have secrets"),
            new(E, "spec.components[1].properties.secrets[0].properties.policy", 22, 34, "policy `p`, which spec.policies does not define"),
            new(E, "spec.components[1].traits[0]", 24, 11, "cannot have a daemonscaler trait"),
        ],
        ["duplicate-link.yaml"] =
            [new(E, "spec.components[0].traits[1].properties.interfaces[0]", 24, 26, "already has a link named `default` for wasi:keyvalue/atomics")],
        ["duplicate-owned-config.yaml"] =
            [new(E, "spec.components[2].traits[0].properties.source.config[0].name", 39, 25, "config `settings` is given properties by more than one link")],
        ["malformed-link-trait.yaml"] =
        [
            new(E, "spec.components[0].traits[0].properties", 16, 13, "Link/Scaler trait deserialized as custom trait, ensure fields are correct"),
            new(E, "spec.components[0].traits[0].properties.timeout", 20, 13, "unknown field `timeout`"),
        ],
        ["malformed-scaler-trait.yaml"] =
        [
            new(E, "spec.components[0].traits[0].properties", 16, 13, "Link/Scaler trait deserialized as custom trait"),
            new(E, "spec.components[0].traits[0].properties.instances", 16, 24, "expected an unsigned integer, found string \"three\""),
        ],
        ["negative-instances-and-scalar-list.yaml"] =
        [
            new(E, "spec.components[0].traits[0].properties", 16, 13, "Link/Scaler trait deserialized as custom trait"),
            new(E, "spec.components[0].traits[0].properties.instances", 16, 24, "found -1"),
            new(E, "spec.components[0].traits[1].properties", 19, 13, "Link/Scaler trait deserialized as custom trait"),
            new(E, "spec.components[0].traits[1].properties.interfaces", 21, 25, "expected a sequence, found string \"incoming-handler\""),
        ],
        ["unknown-top-level-field.yaml"] = [new(E, "status", 8, 1, "unknown field `status`, expected one of `apiVersion`, `kind`, `metadata`, `spec`")],
        ["unknown-properties-field.yaml"] = [new(E, "spec.components[0].properties.replicas", 13, 9, "unknown field `replicas`")],
        ["missing-annotations.yaml"] = [new(E, "metadata.annotations", 4, 3, "missing field `annotations`")],
        ["wrong-types.yaml"] =
        [
            new(E, "spec.components[0].type", 10, 13, "unknown component type `function`"),
            new(E, "spec.components[0].traits[0].properties", 16, 13, "Link/Scaler trait deserialized as custom trait"),
            new(E, "spec.components[0].traits[0].properties.spread[0].requirements", 18, 17, "missing field `requirements`"),
        ],
        ["unknown-interface.yaml"] =
            [new(W, "spec.components[0].traits[0].properties.interfaces[0]", 18, 26, "unknown interface `stor` in wasi:keyvalue")],
        ["yaml-syntax-error.yaml"] = [new(E, "", 6, 1, "YAML syntax error")],
        ["duplicate-key.yaml"] = [new(E, "", 6, 3, "duplicate key `name`")],
    };

    public static TheoryData<string> Fixtures => new(ManifestFixtures.Names("bad"));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Reports_exactly_the_declared_diagnostics(string name)
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("bad", name), ManifestFixtures.FormatOf(name));
        var actual = Sorted(ManifestValidator.Validate(document));
        var report = string.Join("\n", actual);

        Assert.True(Expectations.TryGetValue(name, out var expected), $"{name} has no declared diagnostics; it reports:\n{report}");
        Assert.True(expected.Length == actual.Count, $"{name}: expected {expected.Length} diagnostics, got:\n{report}");
        var ordered = expected.OrderBy(e => e.Line).ThenBy(e => e.Column).ThenBy(e => e.Severity).ThenBy(e => e.Path, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var (severity, path, line, column, fragment) = ordered[i];
            var diagnostic = actual[i];
            Assert.True(diagnostic.Severity == severity && diagnostic.Path == path && diagnostic.Line == line && diagnostic.Column == column
                && diagnostic.Message.Contains(fragment, StringComparison.Ordinal),
                $"{name}: expected {severity} at {path} ({line}:{column}) containing \"{fragment}\", got:\n{report}");
        }
    }

    [Fact]
    public void Every_declaration_has_its_fixture()
    {
        var files = ManifestFixtures.Names("bad").ToHashSet();
        var orphans = Expectations.Keys.Where(k => !files.Contains(k)).ToList();
        Assert.True(orphans.Count == 0, "declared without a fixture: " + string.Join(", ", orphans));
        Assert.True(files.Count >= 15);
    }

    private static List<ManifestDiagnostic> Sorted(IEnumerable<ManifestDiagnostic> diagnostics) =>
        diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Severity).ThenBy(d => d.Path, StringComparer.Ordinal).ToList();

    private sealed record Expected(ManifestSeverity Severity, string Path, int Line, int Column, string Fragment);
}
