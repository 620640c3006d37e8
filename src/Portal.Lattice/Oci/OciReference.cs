using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Portal.Lattice.Oci;

/// <summary>
/// An OCI image reference as a wasmCloud 1.x host reads one (protocol 3.4):
/// <c>registry[:port]/repository[:tag][@sha256:…]</c>, with an <c>oci://</c>, <c>http://</c> or
/// <c>https://</c> prefix stripped. A reference without a registry host names Docker Hub, as in
/// every other OCI client; one without a tag or digest means the tag <c>latest</c>.
/// </summary>
public sealed partial record OciReference(string Registry, string Repository, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";
    public const string LatestTag = "latest";

    private static readonly string[] Prefixes = ["oci://", "http://", "https://"];

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();

    /// <summary>The tag or digest to ask the registry for: the digest when both are given (it pins the content).</summary>
    public string Reference => Digest ?? Tag ?? LatestTag;

    /// <summary>Whether the reference names a tag explicitly or pins a digest (false: the implicit <c>latest</c>).</summary>
    public bool IsExplicit => Tag is not null || Digest is not null;

    /// <summary>Whether this pulls whatever <c>latest</c> points at (explicitly or by omission), which hosts refuse unless allowed.</summary>
    public bool IsLatest => Digest is null && (Tag ?? LatestTag) == LatestTag;

    /// <summary>The host and port the registry API is reached at (Docker Hub's API lives on its own host).</summary>
    public string ApiAuthority => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>The registry host without the port, e.g. for matching credentials given per host.</summary>
    public string RegistryHost
    {
        get
        {
            if (Registry.StartsWith('[')) return Registry[..(Registry.IndexOf(']') + 1)];
            var colon = Registry.LastIndexOf(':');
            return colon < 0 ? Registry : Registry[..colon];
        }
    }

    /// <summary>Strips a scheme prefix the host accepts (<c>oci://</c>, <c>http://</c>, <c>https://</c>).</summary>
    public static string StripScheme(string reference)
    {
        foreach (var prefix in Prefixes)
        {
            if (reference.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return reference[prefix.Length..];
        }

        return reference;
    }

    public static OciReference Parse(string reference) =>
        TryParse(reference, out var parsed, out var error) ? parsed : throw new FormatException(error);

    public static bool TryParse(string? reference, [NotNullWhen(true)] out OciReference? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(reference))
        {
            error = "an image reference is required";
            return false;
        }

        var rest = StripScheme(reference.Trim());
        string? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                error = $"'{reference}': the digest must be sha256: and 64 lower-case hex digits";
                return false;
            }
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var lastColon = rest.LastIndexOf(':');
        if (lastColon > lastSlash)
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!TagPattern().IsMatch(tag))
            {
                error = $"'{reference}': '{tag}' is not a valid tag (letters, digits, '.', '_', '-'; up to 128)";
                return false;
            }
        }

        var registry = DockerHub;
        var firstSlash = rest.IndexOf('/');
        if (firstSlash > 0)
        {
            var first = rest[..firstSlash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost" || first.StartsWith('['))
            {
                registry = first;
                rest = rest[(firstSlash + 1)..];
            }
        }

        if (!RegistryPattern().IsMatch(registry))
        {
            error = $"'{reference}': '{registry}' is not a registry host";
            return false;
        }

        if (registry == DockerHub && !rest.Contains('/')) rest = "library/" + rest;
        if (!RepositoryPattern().IsMatch(rest) || rest.Length > 255)
        {
            error = $"'{reference}': '{rest}' is not a valid repository name (lower-case path components separated by '/')";
            return false;
        }

        parsed = new OciReference(registry, rest, tag, digest);
        error = null;
        return true;
    }

    public override string ToString() => $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";
}
