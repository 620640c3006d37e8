using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Portal.Lattice.Manifests;

/// <summary>
/// Writes manifests as YAML or JSON with wadm's field names. Output is stable: writing what was
/// parsed from this writer's output gives the same bytes. Legacy link forms are written in the current form.
/// </summary>
public static class ManifestWriter
{
    /// <summary>The manifest as block-style YAML (two-space indent, <c>\n</c> line ends).</summary>
    public static string ToYaml(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var output = new StringWriter { NewLine = "\n" };
        var settings = EmitterSettings.Default.WithBestWidth(int.MaxValue).WithIndentedSequences().WithNewLine("\n");
        var emitter = new Emitter(output, settings);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        EmitYaml(emitter, ManifestTree.Of(manifest));
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return output.ToString();
    }

    /// <summary>The manifest as indented JSON (two spaces, <c>\n</c> line ends, non-ASCII kept readable).</summary>
    public static string ToJson(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            EmitJson(writer, ManifestTree.Of(manifest));
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void EmitYaml(IEmitter emitter, ManifestValue value)
    {
        switch (value)
        {
            case ManifestScalar scalar:
                emitter.Emit(YamlScalar(scalar));
                break;
            case ManifestSequence sequence:
                // Empty lists read better inline; block style cannot write them anyway.
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, sequence.Items.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in sequence.Items)
                {
                    EmitYaml(emitter, item);
                }
                emitter.Emit(new SequenceEnd());
                break;
            case ManifestMapping mapping:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, mapping.Entries.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, item) in mapping.Entries)
                {
                    emitter.Emit(YamlScalar(new ManifestScalar(key, ManifestScalarKind.String)));
                    EmitYaml(emitter, item);
                }
                emitter.Emit(new MappingEnd());
                break;
        }
    }

    private static Scalar YamlScalar(ManifestScalar scalar)
    {
        var style = scalar.Kind != ManifestScalarKind.String ? ScalarStyle.Plain
            : NeedsQuotes(scalar.Text) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        return new Scalar(AnchorName.Empty, TagName.Empty, scalar.Text, style, true, false);
    }

    /// <summary>
    /// Strings that would read back as another type (<c>"true"</c>, <c>"1.0"</c>, <c>""</c>) must be quoted,
    /// and so are YAML 1.1's booleans (<c>yes</c>, <c>off</c>) for the older readers people pipe manifests to;
    /// so must edge whitespace and control characters, which YamlDotNet may otherwise write plain and lose.
    /// </summary>
    private static bool NeedsQuotes(string text) =>
        ScalarResolver.Resolve(text) != ManifestScalarKind.String
        || text.ToLowerInvariant() is "y" or "n" or "yes" or "no" or "on" or "off"
        || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])
        || text.Any(c => char.IsControl(c) || char.IsSurrogate(c) || c is '\u0085' or '\u2028' or '\u2029' or '\ufeff');

    private static void EmitJson(Utf8JsonWriter writer, ManifestValue value)
    {
        switch (value)
        {
            case ManifestScalar { Kind: ManifestScalarKind.String } scalar:
                writer.WriteStringValue(scalar.Text);
                break;
            case ManifestScalar { Kind: ManifestScalarKind.Boolean } scalar:
                writer.WriteBooleanValue(scalar.Text == "true");
                break;
            case ManifestScalar { Kind: ManifestScalarKind.Null }:
                writer.WriteNullValue();
                break;
            case ManifestScalar scalar when IsJsonNumber(scalar.Text):
                writer.WriteRawValue(scalar.Text);
                break;
            case ManifestScalar scalar:
                // .inf and .nan have no JSON spelling.
                writer.WriteStringValue(scalar.Text);
                break;
            case ManifestSequence sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                {
                    EmitJson(writer, item);
                }
                writer.WriteEndArray();
                break;
            case ManifestMapping mapping:
                writer.WriteStartObject();
                foreach (var (key, item) in mapping.Entries)
                {
                    writer.WritePropertyName(key);
                    EmitJson(writer, item);
                }
                writer.WriteEndObject();
                break;
        }
    }

    private static bool IsJsonNumber(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.BytesConsumed == text.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
