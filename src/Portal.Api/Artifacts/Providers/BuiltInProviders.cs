namespace Portal.Api.Artifacts.Providers;

/// <summary>
/// The providers our host implements itself. A provider that calls components (the HTTP server)
/// imports the interface it calls them with; one that components call (key-value, logging)
/// exports it. Link checks read these lists.
/// </summary>
public static class BuiltInProviders
{
    public static readonly ProviderResponse HttpServer = new(
        "http-server",
        "wasmcloud+builtin://http-server",
        "Serves HTTP on the address of the link's config and hands each request to the linked component.",
        BuiltIn: true,
        Exports: [],
        Imports: ["wasi:http/incoming-handler"],
        ConfigKeys: [new("address", "Where to listen, host:port.", "0.0.0.0:8080")],
        AlsoKnownAs: ["ghcr.io/wasmcloud/http-server"],
        AddedAt: null);

    public static readonly ProviderResponse KeyValue = new(
        "keyvalue",
        "wasmcloud+builtin://keyvalue",
        "Key-value storage shared by every host of the lattice (a JetStream key-value bucket).",
        BuiltIn: true,
        Exports: ["wasi:keyvalue/store", "wasi:keyvalue/atomics"],
        Imports: [],
        ConfigKeys: [new("bucket", "The bucket the linked component's data lives in.", "counters")],
        AlsoKnownAs: ["ghcr.io/wasmcloud/keyvalue-nats"],
        AddedAt: null);

    public static readonly ProviderResponse Logging = new(
        "logging",
        "wasmcloud+builtin://logging",
        "Writes what components log through wasi:logging into the host's structured log.",
        BuiltIn: true,
        Exports: ["wasi:logging/logging"],
        Imports: [],
        ConfigKeys: [],
        AlsoKnownAs: [],
        AddedAt: null);

    public static IReadOnlyList<ProviderResponse> All { get; } = [HttpServer, KeyValue, Logging];
}
