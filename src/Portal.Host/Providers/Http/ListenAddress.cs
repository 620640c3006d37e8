using System.Net;

namespace Portal.Host.Providers.Http;

/// <summary>The <c>address</c> value of an HTTP server link's source config: "host:port" ("0.0.0.0:8000", "127.0.0.1:8080", "[::]:80", "localhost:8000").</summary>
public static class ListenAddress
{
    /// <summary>What the wasmCloud HTTP server provider listens on when the link has no address.</summary>
    public const string Default = "0.0.0.0:8000";

    public static IPEndPoint Parse(string address)
    {
        var text = address.Trim();
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)) text = "127.0.0.1" + text["localhost".Length..];
        if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0) return endpoint;
        throw new FormatException($"'{address}' is not an address to listen on (expected host:port)");
    }
}
