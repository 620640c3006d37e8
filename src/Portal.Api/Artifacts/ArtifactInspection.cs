using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Api.Http;
using Portal.Data.Artifacts;
using Portal.Lattice.Inspection;

namespace Portal.Api.Artifacts;

/// <summary>Runs the wasm inspector on an upload and turns its verdict into what we store and say.</summary>
public static class ArtifactInspection
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public const string CgiHandlerInterface = "wasi:http/incoming-handler";

    public static WasmInspection Inspect(ReadOnlySpan<byte> wasm)
    {
        if (wasm.IsEmpty) throw new UnprocessableContentException("The file is empty; upload a .wasm module or component.", "/problems/not-wasm");
        try
        {
            return WasmInspector.Inspect(wasm);
        }
        catch (WasmInspectionException e)
        {
            throw new UnprocessableContentException($"This is not a wasm module or component we can run: {e.Message}", "/problems/not-wasm");
        }
    }

    public static ArtifactKind KindOf(WasmInspection inspection) =>
        inspection.Kind == WasmBinaryKind.Component ? ArtifactKind.Component : ArtifactKind.CoreModule;

    /// <summary>
    /// Interfaces for filters and link checks: a component's WIT world; for a core module its import
    /// modules, and, for a WASI command, <c>wasi:http/incoming-handler</c>, because that is what our
    /// host serves it as (CGI), so the HTTP server provider can link to it like to a component.
    /// </summary>
    public static (string[] Imports, string[] Exports) Interfaces(WasmInspection inspection) =>
        inspection.World is { } world
            ? (world.ImportedInterfaces.Distinct().ToArray(), world.ExportedInterfaces.Distinct().ToArray())
            : (inspection.Imports.Select(i => i.Module).Distinct().ToArray(),
               inspection.IsCgiCommand ? [CgiHandlerInterface] : inspection.Exports.Where(e => e.Kind == WasmExternKind.Function).Select(e => e.Name).ToArray());

    public static string ToJson(WasmInspection inspection) => JsonSerializer.Serialize(inspection, Json);

    /// <summary>The stored inspection back as the inspector's record; null if it was stored by an older inspector and no longer reads.</summary>
    public static WasmInspection? FromJson(JsonElement json)
    {
        try
        {
            return json.Deserialize<WasmInspection>(Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
