using System.Text.Json;

namespace Portal.Lattice.Oci;

/// <summary>Media types of the OCI image layout and of wasm artifacts (the CNCF wasm OCI artifact layout wasmCloud 1.x uses).</summary>
public static class OciContentTypes
{
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string WasmLayer = "application/wasm";
    public const string LegacyWasmLayer = "application/vnd.module.wasm.content.layer.v1+wasm";

    /// <summary>What a puller accepts for a manifest: single image manifests, and indexes only to say clearly that they are not supported.</summary>
    public static readonly string[] ManifestAccept = [ImageManifest, DockerManifest, ImageIndex, DockerManifestList];

    public static bool IsWasmLayer(string? mediaType) => mediaType is WasmLayer or LegacyWasmLayer;

    public static bool IsImageManifest(string? mediaType) => mediaType is ImageManifest or DockerManifest;

    public static bool IsIndex(string? mediaType) => mediaType is ImageIndex or DockerManifestList;
}

/// <summary>A content descriptor: what a manifest says about a blob it references.</summary>
public sealed record OciDescriptor(string MediaType, string Digest, long Size);

/// <summary>
/// An image manifest as bytes and as read: its digest (sha256 of the exact bytes), media type,
/// config and layers. <see cref="Read"/> validates the shape a registry must check on push.
/// </summary>
public sealed record OciManifest(string Digest, string MediaType, OciDescriptor Config, IReadOnlyList<OciDescriptor> Layers, string? ArtifactType)
{
    /// <summary>The one layer holding wasm bytes.</summary>
    public OciDescriptor WasmLayer()
    {
        var wasm = Layers.Where(l => OciContentTypes.IsWasmLayer(l.MediaType)).ToList();
        return wasm.Count switch
        {
            1 => wasm[0],
            0 => throw new OciFormatException(
                $"the manifest has no wasm layer (media type {OciContentTypes.WasmLayer}); its layers are: {(Layers.Count == 0 ? "none" : string.Join(", ", Layers.Select(l => l.MediaType)))}"),
            _ => throw new OciFormatException($"the manifest has {wasm.Count} wasm layers; a wasm artifact has exactly one"),
        };
    }

    /// <summary>
    /// Reads an image manifest. <paramref name="contentType"/> is the Content-Type it came with
    /// (optional); when both it and the body's <c>mediaType</c> are present they must agree.
    /// Throws <see cref="OciFormatException"/> saying what is wrong.
    /// </summary>
    public static OciManifest Read(ReadOnlySpan<byte> json, string? contentType = null)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(json));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new OciFormatException($"the manifest is not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new OciFormatException("the manifest must be a JSON object");
            var bodyType = OptionalString(root, "mediaType");
            contentType = contentType?.Split(';')[0].Trim();
            if (string.IsNullOrEmpty(contentType) || contentType is "application/json" or "application/octet-stream") contentType = null;
            if (bodyType is not null && contentType is not null && bodyType != contentType)
            {
                throw new OciFormatException($"the manifest's mediaType {bodyType} differs from its Content-Type {contentType}");
            }

            var mediaType = bodyType ?? contentType ?? OciContentTypes.ImageManifest;
            if (OciContentTypes.IsIndex(mediaType) || root.TryGetProperty("manifests", out _))
            {
                throw new OciFormatException("image indexes (multi-platform manifests) are not supported; push a single image manifest with one wasm layer");
            }

            if (!OciContentTypes.IsImageManifest(mediaType))
            {
                throw new OciFormatException($"unsupported manifest media type {mediaType}; expected {OciContentTypes.ImageManifest}");
            }

            if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != 2)
            {
                throw new OciFormatException("schemaVersion must be 2");
            }

            if (!root.TryGetProperty("config", out var config)) throw new OciFormatException("the manifest has no config descriptor");
            if (!root.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
            {
                throw new OciFormatException("the manifest has no layers array");
            }

            var parsedLayers = new List<OciDescriptor>();
            var index = 0;
            foreach (var layer in layers.EnumerateArray()) parsedLayers.Add(Descriptor(layer, $"layers[{index++}]"));
            return new OciManifest(digest, mediaType, Descriptor(config, "config"), parsedLayers, OptionalString(root, "artifactType"));
        }
    }

    private static OciDescriptor Descriptor(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new OciFormatException($"{where} must be a descriptor object");
        var mediaType = OptionalString(element, "mediaType");
        var digest = OptionalString(element, "digest");
        if (string.IsNullOrEmpty(mediaType)) throw new OciFormatException($"{where} has no mediaType");
        if (digest is null || !OciDigest.IsValid(digest)) throw new OciFormatException($"{where} digest '{digest}' is not sha256: and 64 lower-case hex digits");
        if (!element.TryGetProperty("size", out var size) || size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var bytes) || bytes < 0)
        {
            throw new OciFormatException($"{where} has no valid size");
        }

        return new OciDescriptor(mediaType, digest, bytes);
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>sha256 digests as OCI writes them.</summary>
public static class OciDigest
{
    public static bool IsValid(string? digest) =>
        digest is { Length: 71 } && digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.AsSpan(7).IndexOfAnyExcept("0123456789abcdef") < 0;

    public static string Of(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}

/// <summary>A manifest or reference that does not have the shape OCI requires; the message says what is wrong.</summary>
public sealed class OciFormatException(string message) : Exception(message);
