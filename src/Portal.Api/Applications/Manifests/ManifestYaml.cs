using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Api.Applications.Manifests;

/// <summary>
/// Writes a manifest's canonical JSON as block-style YAML in one stable form (two-space indent,
/// keys in document order, strings quoted only when plain text would read as something else), so
/// exports and diffs of two versions line up.
/// </summary>
public static partial class ManifestYaml
{
    public static string FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var output = new StringBuilder();
        WriteMapping(document.RootElement, output, 0);
        return output.ToString();
    }

    private static void WriteMapping(JsonElement element, StringBuilder output, int indent)
    {
        foreach (var property in element.EnumerateObject())
        {
            output.Append(' ', indent).Append(Scalar(property.Name)).Append(':');
            WriteValue(property.Value, output, indent);
        }
    }

    /// <summary>Writes what follows a key's colon or a list's dash.</summary>
    private static void WriteValue(JsonElement value, StringBuilder output, int indent)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.EnumerateObject().Any():
                output.Append('\n');
                WriteMapping(value, output, indent + 2);
                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0:
                output.Append('\n');
                foreach (var item in value.EnumerateArray())
                {
                    output.Append(' ', indent).Append("- ");
                    if (item.ValueKind == JsonValueKind.Object && item.EnumerateObject().Any())
                    {
                        // The first key shares the dash's line; the rest align under it.
                        var first = true;
                        foreach (var property in item.EnumerateObject())
                        {
                            if (!first) output.Append(' ', indent + 2);
                            first = false;
                            output.Append(Scalar(property.Name)).Append(':');
                            WriteValue(property.Value, output, indent + 4);
                        }
                    }
                    else
                    {
                        output.Length--; // "- " becomes "-" and the value adds its own space
                        WriteValue(item, output, indent + 2);
                    }
                }

                break;
            case JsonValueKind.Object:
                output.Append(" {}\n");
                break;
            case JsonValueKind.Array:
                output.Append(" []\n");
                break;
            case JsonValueKind.String:
                output.Append(' ').Append(Scalar(value.GetString()!)).Append('\n');
                break;
            case JsonValueKind.Null:
                output.Append(" null\n");
                break;
            default:
                output.Append(' ').Append(value.GetRawText()).Append('\n');
                break;
        }
    }

    /// <summary>A string as a plain scalar when YAML would read it back as the same string, else double-quoted.</summary>
    private static string Scalar(string text)
    {
        var plain = text.Length > 0 && SafePlain().IsMatch(text) && !LooksLikeOtherType(text)
            && !text.Contains(": ", StringComparison.Ordinal) && !text.EndsWith(':') && !text.EndsWith(' ');
        return plain ? text : JsonSerializer.Serialize(text);
    }

    private static bool LooksLikeOtherType(string text) =>
        text is "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE" or "yes" or "no" or "on" or "off" or "y" or "n"
        || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.StartsWith("0o", StringComparison.OrdinalIgnoreCase);

    // Letters, digits and the punctuation image refs, interfaces and addresses use; no ': ', no ' #', no leading indicator.
    [GeneratedRegex(@"^[A-Za-z0-9_./+@$(][A-Za-z0-9_./:+@$()=,\- ]*$")]
    private static partial Regex SafePlain();
}
