using System.Text.RegularExpressions;

namespace Portal.Lattice.Manifests;

/// <summary>Checks of <c>metadata</c>: the name, the version and label/annotation keys.</summary>
internal static partial class MetadataRules
{
    public static void Check(Manifest manifest, DiagnosticSink sink)
    {
        if (!AppName().IsMatch(manifest.Metadata.Name))
        {
            // Dots and other characters end up in NATS subjects, where wadm cannot route them.
            sink.Error("metadata.name", $"invalid application name `{manifest.Metadata.Name}`: use letters, digits, `_` and `-` only");
        }
        if (manifest.Version == "latest")
        {
            sink.Error(ManifestPath.Field("metadata.annotations", ManifestAnnotations.Version),
                "the version `latest` is reserved; give the application a concrete version (or none, to get a generated one)");
        }
        CheckKeys(manifest.Metadata.Labels.Keys, "metadata.labels", "label", sink);
        CheckKeys(manifest.Metadata.Annotations.Keys, "metadata.annotations", "annotation", sink);
    }

    private static void CheckKeys(IEnumerable<string> keys, string parentPath, string what, DiagnosticSink sink)
    {
        foreach (var key in keys)
        {
            if (KeyProblem(key) is { } problem)
            {
                sink.Error(ManifestPath.Field(parentPath, key), $"invalid {what} key `{key}`: {problem}");
            }
        }
    }

    /// <summary>Why <paramref name="key"/> is not <c>name</c> or <c>prefix/name</c> (Kubernetes-style), or null.</summary>
    internal static string? KeyProblem(string key)
    {
        var parts = key.Split('/');
        if (parts.Length > 2)
        {
            return "a key is `name` or `prefix/name`, with one `/` at most";
        }
        var name = parts[^1];
        if (name.Length is 0 or > 63)
        {
            return "the name part must be 1 to 63 characters";
        }
        if (!KeyName().IsMatch(name))
        {
            return "the name part must start and end with a letter or digit and hold only letters, digits, `-`, `_` and `.`";
        }
        if (parts.Length == 2)
        {
            var prefix = parts[0];
            if (prefix.Length is 0 or > 253 || prefix.Split('.').Any(label => !DnsLabel().IsMatch(label)))
            {
                return "the prefix must be a DNS subdomain (up to 253 characters; dot-separated parts that start with a letter and end with a letter or digit)";
            }
        }
        return null;
    }

    [GeneratedRegex(@"^[-\w]+$")]
    private static partial Regex AppName();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")]
    private static partial Regex KeyName();

    [GeneratedRegex(@"^[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex DnsLabel();
}
