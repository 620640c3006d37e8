using Microsoft.AspNetCore.Http;

namespace Portal.Api.Http;

/// <summary>ETags from row versions, and the If-Match check for updates.</summary>
public static class ETag
{
    public static string From(uint version) => $"\"{version}\"";

    /// <summary>The version the client expects, or null when it sent no If-Match (an unconditional write).</summary>
    public static uint? IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header == "*") return null;
        var trimmed = header.Trim().TrimStart('W', '/').Trim('"');
        return uint.TryParse(trimmed, out var version)
            ? version
            : throw new PreconditionFailedException("If-Match does not hold an ETag this API issued.");
    }
}
