using Portal.Lattice.Manifests;

namespace Portal.Web.Components.Applications.Editor;

/// <summary>
/// Label requirements and config properties as one line of text, <c>zone=eu, arch=x86_64</c>:
/// quicker to type than a grid of rows, and it reads like the host labels people already know.
/// </summary>
public static class KeyValueText
{
    public static string Format(IReadOnlyDictionary<string, string>? map) =>
        map is null ? "" : string.Join(", ", map.Select(e => $"{e.Key}={e.Value}"));

    /// <summary>Reads <c>k=v</c> pairs separated by commas or new lines; null with <paramref name="error"/> set when a pair has no key.</summary>
    public static OrderedMap<string>? Parse(string? text, out string? error)
    {
        error = null;
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in (text ?? "").Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            var key = equals < 0 ? part : part[..equals].Trim();
            if (key.Length == 0)
            {
                error = $"\"{part}\" has no name before '='.";
                return null;
            }
            pairs.Add(new(key, equals < 0 ? "" : part[(equals + 1)..].Trim()));
        }
        return OrderedMap.From(pairs);
    }
}
