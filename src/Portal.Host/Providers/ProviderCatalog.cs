using Microsoft.Extensions.Logging;
using Portal.Host.Engine;
using Portal.Host.Providers.Http;
using Portal.Host.Providers.KeyValue;

namespace Portal.Host.Providers;

/// <summary>Which provider references this host can run, all built in.</summary>
public static class ProviderCatalog
{
    public const string HttpServerBuiltin = "wasmcloud+builtin://http-server";

    /// <summary>The wasmCloud HTTP server provider image, any tag: we stand in for it with our own.</summary>
    public const string HttpServerImage = "ghcr.io/wasmcloud/http-server";

    public const string KeyValueBuiltin = "wasmcloud+builtin://keyvalue";

    /// <summary>wasmCloud's NATS key-value provider image, any tag: ours serves the same interfaces from JetStream too.</summary>
    public const string KeyValueNatsImage = "ghcr.io/wasmcloud/keyvalue-nats";

    /// <summary>What provider_start_failed lists as supported.</summary>
    public static string Supported => $"{HttpServerBuiltin}, {HttpServerImage}:*, {KeyValueBuiltin}, {KeyValueNatsImage}:*";

    public static bool IsHttpServer(string reference) => Matches(reference, HttpServerBuiltin, HttpServerImage);

    public static bool IsKeyValue(string reference) => Matches(reference, KeyValueBuiltin, KeyValueNatsImage);

    private static bool Matches(string reference, string builtin, string image)
    {
        var r = reference.Trim();
        foreach (var scheme in new[] { "oci://", "https://", "http://" })
        {
            if (r.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) r = r[scheme.Length..];
        }

        return string.Equals(r, builtin, StringComparison.OrdinalIgnoreCase)
            || r.StartsWith(image + ":", StringComparison.OrdinalIgnoreCase)
            || r.StartsWith(image + "@", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A new provider for the reference, or null when this host has none for it.</summary>
    public static IBuiltinProvider? Create(string providerId, string reference, ActorEngine engine, Func<string, bool> isComponentRunning, ILogger logger) =>
        IsHttpServer(reference) ? new HttpServerProvider(providerId, engine, isComponentRunning, logger)
        : IsKeyValue(reference) ? new KeyValueProvider(providerId)
        : null;
}
