using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portal.Lattice.Oci;

/// <summary>Credentials for one registry: a user name and password (HTTP Basic, or exchanged for a bearer token), or a bearer token.</summary>
public sealed record OciCredential(string? Username, string? Password, string? Token = null)
{
    public bool HasBasic => !string.IsNullOrEmpty(Username);

    public override string ToString() => HasBasic ? $"user {Username}" : Token is null ? "anonymous" : "token";
}

/// <summary>
/// Pulls from one OCI distribution registry (<c>/v2/</c>): manifests by tag or digest, blobs by
/// digest, each verified against its sha256. Authentication follows what registries ask for: HTTP
/// Basic is sent up front when a user name is known (the portal's registry takes it directly); a
/// <c>Bearer realm=…</c> challenge is answered by fetching a token from the realm (with the
/// Basic credentials, if any) and retrying. Redirects (blobs served from elsewhere) are followed
/// by the handler, which drops the Authorization header on the way.
/// </summary>
public sealed class OciRegistryClient(HttpClient http, OciReference reference, OciCredential? credential, bool plainHttp)
{
    private string? _bearer;

    public OciReference Reference { get; } = reference;

    /// <summary>The registry's base address, e.g. <c>https://ghcr.io</c>.</summary>
    public Uri BaseAddress { get; } = new($"{(plainHttp ? "http" : "https")}://{reference.ApiAuthority}/");

    /// <summary>The manifest the reference names; when the reference pins a digest, the bytes are checked against it.</summary>
    public async Task<OciManifest> GetManifestAsync(CancellationToken cancellationToken = default)
    {
        var path = $"v2/{Reference.Repository}/manifests/{Reference.Reference}";
        using var response = await SendAsync(HttpMethod.Get, path, OciContentTypes.ManifestAccept, cancellationToken);
        await EnsureSuccessAsync(response, "manifest", cancellationToken);
        var declared = response.Content.Headers.ContentLength;
        if (declared > 4 * 1024 * 1024) throw new OciPullException($"unable to pull {Reference}: the manifest is larger than 4 MiB");
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (bytes.Length > 4 * 1024 * 1024) throw new OciPullException($"unable to pull {Reference}: the manifest is larger than 4 MiB");

        OciManifest manifest;
        try
        {
            manifest = OciManifest.Read(bytes, response.Content.Headers.ContentType?.MediaType);
        }
        catch (OciFormatException e)
        {
            throw new OciPullException($"unable to pull {Reference}: {e.Message}");
        }

        if (Reference.Digest is { } pinned && manifest.Digest != pinned)
        {
            throw new OciPullException($"unable to pull {Reference}: the registry sent a manifest with digest {manifest.Digest}, not {pinned}");
        }

        return manifest;
    }

    /// <summary>Downloads a blob whole, refusing more bytes than the descriptor states, and verifies its digest.</summary>
    public async Task<byte[]> GetBlobAsync(OciDescriptor blob, CancellationToken cancellationToken = default)
    {
        if (blob.Size > Array.MaxLength) throw new OciPullException($"unable to pull {Reference}: blob {blob.Digest} is too large ({blob.Size} bytes)");
        using var response = await SendAsync(HttpMethod.Get, $"v2/{Reference.Repository}/blobs/{blob.Digest}", ["*/*"], cancellationToken);
        await EnsureSuccessAsync(response, "blob", cancellationToken);
        if (response.Content.Headers.ContentLength is { } length && length != blob.Size)
        {
            throw new OciPullException($"unable to pull {Reference}: blob {blob.Digest} is {length} bytes, the manifest says {blob.Size}");
        }

        var bytes = new byte[blob.Size];
        var filled = 0;
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            while (true)
            {
                var read = filled < bytes.Length
                    ? await stream.ReadAsync(bytes.AsMemory(filled), cancellationToken)
                    : await stream.ReadAsync(new byte[1], cancellationToken);
                if (read == 0) break;
                if (filled == bytes.Length) throw new OciPullException($"unable to pull {Reference}: blob {blob.Digest} is longer than the {blob.Size} bytes the manifest says");
                filled += read;
            }
        }

        if (filled != bytes.Length) throw new OciPullException($"unable to pull {Reference}: blob {blob.Digest} ended after {filled} of {blob.Size} bytes");
        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != blob.Digest) throw new OciPullException($"unable to pull {Reference}: blob {blob.Digest} arrived with digest {actual}");
        return bytes;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string[] accept, CancellationToken cancellationToken)
    {
        var response = await SendOnceAsync(method, path, accept, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

        // A Bearer challenge: fetch a token for this repository from the realm, then retry once.
        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (challenge?.Parameter is null || _bearer is not null) return response;
        response.Dispose();
        _bearer = await FetchTokenAsync(ParseChallenge(challenge.Parameter), cancellationToken);
        return await SendOnceAsync(method, path, accept, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, string[] accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        foreach (var type in accept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        request.Headers.Authorization = _bearer is not null ? new AuthenticationHeaderValue("Bearer", _bearer)
            : credential?.Token is { Length: > 0 } token ? new AuthenticationHeaderValue("Bearer", token)
            : credential?.HasBasic == true ? Basic(credential)
            : null;
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            var hint = plainHttp ? "" : " (a registry without TLS must be allowed with --allowed-insecure / WASMCLOUD_OCI_ALLOWED_INSECURE)";
            throw new OciPullException($"unable to reach registry {BaseAddress.GetLeftPart(UriPartial.Authority)} for {Reference}: {e.Message}{hint}");
        }
    }

    private async Task<string> FetchTokenAsync(IReadOnlyDictionary<string, string> challenge, CancellationToken cancellationToken)
    {
        if (!challenge.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw new OciPullException($"unable to pull {Reference}: the registry asked for a bearer token without a usable realm");
        }

        var query = new List<string>();
        if (challenge.TryGetValue("service", out var service)) query.Add("service=" + Uri.EscapeDataString(service));
        query.Add("scope=" + Uri.EscapeDataString(challenge.TryGetValue("scope", out var scope) ? scope : $"repository:{Reference.Repository}:pull"));
        var builder = new UriBuilder(realmUri) { Query = string.Join('&', new[] { realmUri.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query)) };
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credential?.HasBasic == true) request.Headers.Authorization = Basic(credential);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new OciPullException($"unable to pull {Reference}: the token service at {realmUri.GetLeftPart(UriPartial.Path)} answered HTTP {(int)response.StatusCode} (credentials: {credential?.ToString() ?? "anonymous"})");
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        foreach (var name in new[] { "token", "access_token" })
        {
            if (json.RootElement.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } token) return token;
        }

        throw new OciPullException($"unable to pull {Reference}: the token service answered without a token");
    }

    /// <summary>The parameters of <c>Bearer realm="…",service="…",scope="…"</c>.</summary>
    internal static Dictionary<string, string> ParseChallenge(string parameter)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < parameter.Length)
        {
            while (i < parameter.Length && (parameter[i] == ',' || char.IsWhiteSpace(parameter[i]))) i++;
            var eq = parameter.IndexOf('=', i);
            if (eq < 0) break;
            var key = parameter[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < parameter.Length && parameter[i] == '"')
            {
                var end = parameter.IndexOf('"', i + 1);
                if (end < 0) end = parameter.Length;
                value = parameter[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = parameter.IndexOf(',', i);
                if (end < 0) end = parameter.Length;
                value = parameter[i..end].Trim();
                i = end;
            }

            values[key] = value;
        }

        return values;
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var detail = await ErrorDetailAsync(response, cancellationToken);
        var hint = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => $" (credentials: {credential?.ToString() ?? "anonymous"})",
            _ => "",
        };
        throw new OciPullException($"unable to pull {Reference}: the registry answered HTTP {(int)response.StatusCode} for the {what}{detail}{hint}");
    }

    /// <summary>": CODE message" from an OCI error body, when there is one.</summary>
    private static async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (body.Length == 0 || body.Length > 64 * 1024) return "";
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var parts = errors.EnumerateArray().Select(e =>
                    $"{(e.TryGetProperty("code", out var c) ? c.GetString() : "")} {(e.TryGetProperty("message", out var m) ? m.GetString() : "")}".Trim());
                return ": " + string.Join("; ", parts);
            }
        }
        catch (JsonException)
        {
        }

        return "";
    }

    private static AuthenticationHeaderValue Basic(OciCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));
}

/// <summary>A pull that failed; the message names the reference and what went wrong.</summary>
public sealed class OciPullException(string message) : Exception(message);
