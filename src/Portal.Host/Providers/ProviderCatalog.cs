using Microsoft.Extensions.Logging;
using Portal.Host.Engine;
using Portal.Host.Providers.Http;

namespace Portal.Host.Providers;

/// <summary>Which provider references this host can run, all built in.</summary>
public static class ProviderCatalog
{
    public const string HttpServerBuiltin = "wasmcloud+builtin://http-server";

    /// <summary>The wasmCloud HTTP server provider image, any tag: we stand in for it with our own.</summary>
    public const string HttpServerImage = "ghcr.io/wasmcloud/http-server";

    public static bool IsHttpServer(string reference)
    {
        var r = reference.Trim();
        foreach (var scheme in new[] { "oci://", "https://", "http://" })
        {
            if (r.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) r = r[scheme.Length..];
        }

        return string.Equals(r, HttpServerBuiltin, StringComparison.OrdinalIgnoreCase)
            || r.StartsWith(HttpServerImage + ":", StringComparison.OrdinalIgnoreCase)
            || r.StartsWith(HttpServerImage + "@", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A new provider for the reference, or null when this host has none for it.</summary>
    public static IBuiltinProvider? Create(string providerId, string reference, ActorEngine engine, Func<string, bool> isComponentRunning, ILogger logger) =>
        IsHttpServer(reference) ? new HttpServerProvider(providerId, engine, isComponentRunning, logger) : null;
}
