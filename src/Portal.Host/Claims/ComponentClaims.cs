using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Portal.Host.Identity;

namespace Portal.Host.Claims;

/// <summary>
/// Claims a component carries in its <c>jwt</c> custom section (wascap, as wasmCloud signs them):
/// a JWT with header <c>{"typ":"jwt","alg":"Ed25519"}</c> signed by the issuer (an account nkey), the
/// subject being the component's own nkey (<c>M…</c>) and metadata under <c>wascap</c>. We check the
/// signature and the validity window; we do not recompute the module hash wascap also records.
/// </summary>
public sealed record ComponentClaims(
    string Issuer,
    string Subject,
    string? Name,
    int Revision,
    string? Version,
    string? CallAlias,
    IReadOnlyList<string> Tags,
    DateTimeOffset? NotBefore,
    DateTimeOffset? Expires)
{
    /// <summary>The component's claims, null when it has no <c>jwt</c> section; throws <see cref="InvalidClaimsException"/> when they do not verify.</summary>
    public static ComponentClaims? Read(ReadOnlyMemory<byte> wasm, DateTimeOffset now) =>
        WasmCustomSection.Find(wasm, "jwt") is { } section ? Parse(Encoding.UTF8.GetString(section.Span), now) : null;

    public static ComponentClaims Parse(string jwt, DateTimeOffset now)
    {
        var parts = jwt.Trim().Split('.');
        if (parts.Length != 3) throw new InvalidClaimsException("not a JWT (three dot-separated parts)");
        JsonElement header, body;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
            body = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new InvalidClaimsException($"malformed JWT: {e.Message}");
        }

        if (!string.Equals(Text(header, "alg"), "Ed25519", StringComparison.OrdinalIgnoreCase))
            throw new InvalidClaimsException($"unsupported JWT algorithm '{Text(header, "alg")}'");
        var issuer = Text(body, "iss") ?? throw new InvalidClaimsException("claims without an issuer (iss)");
        var subject = Text(body, "sub") ?? throw new InvalidClaimsException("claims without a subject (sub)");
        var issuerKey = NKeyEncoding.TryDecodePublic(issuer) ?? throw new InvalidClaimsException($"issuer {issuer} is not an nkey public key");
        if (!Ed25519Keys.Verify(issuerKey, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature))
            throw new InvalidClaimsException("claims signature does not verify against the issuer key");

        var notBefore = Seconds(body, "nbf");
        var expires = Seconds(body, "exp");
        if (notBefore > now) throw new InvalidClaimsException($"claims are not valid before {notBefore:O}");
        if (expires < now) throw new InvalidClaimsException($"claims expired at {expires:O}");
        var meta = body.TryGetProperty("wascap", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var tags = meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
            : [];
        var revision = meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("rev", out var r) && r.TryGetInt32(out var rev) ? rev : 0;
        return new ComponentClaims(issuer, subject, Text(meta, "name"), revision, Text(meta, "ver"), Text(meta, "call_alias"), tags, notBefore, expires);
    }

    /// <summary>What LATTICEDATA keeps under <c>CLAIMS_{subject}</c>: claims.get's fields without the legacy duplicates (iss, sub, rev).</summary>
    public Dictionary<string, string> ToStored() => new()
    {
        ["call_alias"] = CallAlias ?? "",
        ["issuer"] = Issuer,
        ["name"] = Name ?? "",
        ["revision"] = Revision.ToString(CultureInfo.InvariantCulture),
        ["subject"] = Subject,
        ["tags"] = string.Join(",", Tags),
        ["version"] = Version ?? "",
    };

    /// <summary>The <c>claims</c> object of component_scaled (protocol 2.2).</summary>
    public Dictionary<string, object?> ToEventClaims() => new()
    {
        ["call_alias"] = CallAlias,
        ["issuer"] = Issuer,
        ["tags"] = Tags,
        ["name"] = Name,
        ["version"] = Version,
        ["revision"] = Revision,
        ["not_before_human"] = NotBefore is { } nbf ? nbf.ToString("u", CultureInfo.InvariantCulture) : "immediately",
        ["expires_human"] = Expires is { } exp ? exp.ToString("u", CultureInfo.InvariantCulture) : "never",
    };

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Seconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt64(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}

/// <summary>Embedded claims that do not verify: the component is refused (component_scale_failed), as a 1.x host does.</summary>
public sealed class InvalidClaimsException(string message) : Exception($"invalid embedded claims: {message}");
