using System.Text.RegularExpressions;
using Portal.Api.Http;

namespace Portal.Api.Artifacts;

/// <summary>
/// Artifact names and tags follow the OCI distribution rules, because <c>{tenant}/{name}:{tag}</c>
/// is also the image reference hosts pull.
/// </summary>
public static partial class ArtifactNames
{
    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();

    public static (string Name, string Tag) Validate(string? name, string? tag)
    {
        var errors = new FieldErrors();
        name = name?.Trim();
        tag = string.IsNullOrWhiteSpace(tag) ? "latest" : tag.Trim();
        errors.When(string.IsNullOrEmpty(name), "name", "Name is required, e.g. hello-http.")
              .When(name is { Length: > 100 }, "name", "Name must be at most 100 characters.")
              .When(name is { Length: > 0 and <= 100 } && !NamePattern().IsMatch(name), "name",
                    "Name may hold lower-case letters and digits, separated by single '.', '_', '__' or '-', e.g. hello-http.")
              .When(!TagPattern().IsMatch(tag), "tag", "Tag may hold letters, digits, '.', '_' and '-' (up to 128, not starting with '.' or '-'), e.g. 1.0.0.");
        errors.ThrowIfAny();
        return (name!, tag);
    }

    /// <summary>A name as it arrives with a file: <c>Hello World.wasm</c> becomes <c>hello-world</c>.</summary>
    public static string Suggest(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName).ToLowerInvariant();
        var cleaned = new string(stem.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        while (cleaned.Contains("--", StringComparison.Ordinal)) cleaned = cleaned.Replace("--", "-", StringComparison.Ordinal);
        return cleaned.Length == 0 ? "actor" : cleaned[..Math.Min(100, cleaned.Length)].Trim('-');
    }
}
