using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Lattice.Inspection;

namespace Portal.Api.Artifacts.Oci;

/// <summary>
/// The OCI config and image manifest that make an uploaded wasm file pullable over <c>/v2/</c>.
/// Both are a pure function of the wasm bytes (and when they were first stored), so uploading the
/// same bytes again yields the same manifest digest.
/// </summary>
public static class OciManifests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public sealed record Descriptor(string MediaType, string Digest, long Size);

    public sealed record Manifest(int SchemaVersion, string MediaType, string? ArtifactType, Descriptor Config, IReadOnlyList<Descriptor> Layers);

    public sealed record WasmConfig(string Created, string Architecture, string Os, IReadOnlyList<string> LayerDigests, ComponentWorld? Component);

    public sealed record ComponentWorld(IReadOnlyList<string> Imports, IReadOnlyList<string> Exports);

    public static byte[] Config(string layerDigest, WasmInspection inspection, DateTimeOffset firstStored)
    {
        var component = inspection.World is { } world
            ? new ComponentWorld(world.ImportedInterfaces.ToList(), world.ExportedInterfaces.ToList())
            : null;
        var config = new WasmConfig(
            firstStored.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            "wasm",
            inspection.Kind == WasmBinaryKind.Component ? "wasip2" : "wasip1",
            [layerDigest],
            component);
        return JsonSerializer.SerializeToUtf8Bytes(config, Json);
    }

    public static byte[] ImageManifest(Descriptor config, Descriptor layer) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new Manifest(2, OciMediaTypes.ImageManifest, OciMediaTypes.WasmLayer, config, [layer]), Json);

    public static Manifest? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<Manifest>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
