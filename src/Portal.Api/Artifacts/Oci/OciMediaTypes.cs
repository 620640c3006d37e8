namespace Portal.Api.Artifacts.Oci;

/// <summary>
/// The media types of wasm OCI artifacts (the CNCF wasm OCI artifact layout, which wasmCloud 1.x
/// pulls and pushes), and the legacy layer type older wasmCloud tooling wrote.
/// </summary>
public static class OciMediaTypes
{
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string WasmConfig = "application/vnd.wasm.config.v0+json";
    public const string WasmLayer = "application/wasm";
    public const string LegacyWasmLayer = "application/vnd.module.wasm.content.layer.v1+wasm";
    public const string LegacyActorConfig = "application/vnd.wasmcloud.actor.archive.config";

    public static bool IsWasmLayer(string? mediaType) => mediaType is WasmLayer or LegacyWasmLayer;
}
