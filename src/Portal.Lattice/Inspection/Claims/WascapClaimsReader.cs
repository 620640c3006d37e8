using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
namespace Portal.Lattice.Inspection.Claims;

/// <summary>
/// Decodes the wascap JWT of a claims custom section and checks it: Ed25519 signature by the issuer
/// (an nkeys account key) and the module hash. A section that does not hold a readable token makes
/// the binary unreadable (a wasmCloud host refuses to start such a component too); a token that
/// reads but does not verify is reported as such, for the caller to judge.
/// </summary>
internal static class WascapClaimsReader
{
    public static WasmClaims Read(ReadOnlySpan<byte> wasm, (int Start, int Length, string Name, long Offset) section)
    {
        var bytes = wasm.Slice(section.Start, section.Length);
        var where = $"the {section.Name} custom section at offset {section.Offset}";
        WasmInspectionException Bad(string what) => new($"{where} {what}", section.Offset);

        foreach (var b in bytes)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.'))
                throw Bad("does not hold a JWT (only base64url and '.' may appear)");
        }

        var first = bytes.IndexOf((byte)'.');
        var last = bytes.LastIndexOf((byte)'.');
        if (first <= 0 || last == first || bytes[(first + 1)..last].Contains((byte)'.'))
            throw Bad("does not hold a JWT (expected header.payload.signature)");

        var header = Decode(bytes[..first]) ?? throw Bad("has a JWT header that is not base64url");
        var payload = Decode(bytes[(first + 1)..last]) ?? throw Bad("has a JWT payload that is not base64url");
        var signature = Decode(bytes[(last + 1)..]) ?? throw Bad("has a JWT signature that is not base64url");

        // JsonDocument parses strings with invalid UTF-8 and only fails when one is read.
        if (!Utf8.IsValid(header) || !Utf8.IsValid(payload)) throw Bad("has a JWT whose header or payload is not UTF-8");

        try
        {
            using var headerJson = JsonDocument.Parse(header);
            using var payloadJson = JsonDocument.Parse(payload);
            if (headerJson.RootElement.ValueKind != JsonValueKind.Object || payloadJson.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad("has a JWT whose header or payload is not a JSON object");
            var claims = payloadJson.RootElement;
            var wascap = claims.TryGetProperty("wascap", out var w) && w.ValueKind == JsonValueKind.Object ? w : default;
            var algorithm = String(headerJson.RootElement, "alg") ?? "";
            var issuer = String(claims, "iss") ?? throw Bad("has claims without an issuer (iss)");
            var subject = String(claims, "sub") ?? throw Bad("has claims without a subject (sub)");
            var moduleHash = wascap.ValueKind == JsonValueKind.Object ? String(wascap, "hash") : null;
            var (status, note) = CheckSignature(algorithm, issuer, bytes[..last], signature);

            return new WasmClaims
            {
                Jwt = Encoding.ASCII.GetString(bytes),
                SectionName = section.Name,
                Algorithm = algorithm,
                Issuer = issuer,
                Subject = subject,
                Id = String(claims, "jti"),
                IssuedAt = Time(claims, "iat"),
                Expires = Time(claims, "exp"),
                NotBefore = Time(claims, "nbf"),
                WascapRevision = Int(claims, "wascap_revision"),
                Name = wascap.ValueKind == JsonValueKind.Object ? String(wascap, "name") : null,
                Version = wascap.ValueKind == JsonValueKind.Object ? String(wascap, "ver") : null,
                Revision = wascap.ValueKind == JsonValueKind.Object ? Int(wascap, "rev") : null,
                CallAlias = wascap.ValueKind == JsonValueKind.Object ? String(wascap, "call_alias") : null,
                Tags = wascap.ValueKind == JsonValueKind.Object ? Strings(wascap, "tags") : [],
                Capabilities = wascap.ValueKind == JsonValueKind.Object ? Strings(wascap, "caps") : [],
                IsProvider = wascap.ValueKind == JsonValueKind.Object && wascap.TryGetProperty("prov", out var prov) && prov.ValueKind == JsonValueKind.True,
                ModuleHash = moduleHash,
                ModuleHashMatches = moduleHash is null ? null : string.Equals(moduleHash, WascapModuleHash.Compute(wasm), StringComparison.OrdinalIgnoreCase),
                Signature = status,
                SignatureNote = note,
            };
        }
        catch (JsonException e)
        {
            throw Bad($"has a JWT that is not valid JSON ({e.Message})");
        }
        catch (ClaimTypeException e)
        {
            throw Bad($"has a claim '{e.Claim}' of the wrong type or range");
        }
    }

    private static (ClaimsSignature, string?) CheckSignature(string algorithm, string issuer, ReadOnlySpan<byte> signed, byte[] signature)
    {
        if (algorithm is not ("Ed25519" or "EdDSA"))
            return (ClaimsSignature.NotChecked, $"algorithm '{algorithm}' is not Ed25519; the signature was not checked");
        Span<byte> key = stackalloc byte[32];
        if (!NKeys.TryDecodePublicKey(issuer, NKeys.AccountPrefix, key))
            return (ClaimsSignature.Invalid, "the issuer is not an nkeys account public key (56 characters starting with 'A', valid checksum)");
        if (signature.Length != 64) return (ClaimsSignature.Invalid, $"an Ed25519 signature is 64 bytes, this one {signature.Length}");
        return Ed25519.Verify(signature, signed, key)
            ? (ClaimsSignature.Valid, null)
            : (ClaimsSignature.Invalid, "the signature does not verify with the issuer's key");
    }

    private static byte[]? Decode(ReadOnlySpan<byte> base64Url)
    {
        var buffer = new byte[Base64Url.GetMaxDecodedLength(base64Url.Length)];
        return Base64Url.DecodeFromUtf8(base64Url, buffer, out _, out var written) == System.Buffers.OperationStatus.Done
            ? buffer[..written]
            : null;
    }

    private sealed class ClaimTypeException(string claim) : Exception
    {
        public string Claim { get; } = claim;
    }

    private static string? String(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ClaimTypeException(name);

    private static int? Int(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw new ClaimTypeException(name);

    /// <summary>NumericDate seconds; refused beyond what a date can hold (year 9999).</summary>
    private static DateTimeOffset? Time(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) ||
            seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            throw new ClaimTypeException(name);
        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    private static ImmutableArray<string> Strings(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind != JsonValueKind.Array) throw new ClaimTypeException(name);
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new ClaimTypeException(name));
        return [.. items];
    }
}
