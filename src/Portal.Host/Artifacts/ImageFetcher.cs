using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Portal.Host.Configuration;
using Portal.Lattice.Control;
using Portal.Lattice.Oci;

namespace Portal.Host.Artifacts;

/// <summary>
/// Turns a component's image reference into wasm bytes (protocol 3.4):
/// <list type="bullet">
/// <item><c>file://</c> only when the host allows file loads;</item>
/// <item>OCI references <c>registry/repo:tag</c> or <c>…@sha256:…</c> (an <c>oci://</c>,
/// <c>http://</c> or <c>https://</c> prefix is stripped): the manifest, then its wasm layer,
/// verified against its digest and cached by it (<see cref="OciPuller"/>);</item>
/// <item>an <c>http(s)://</c> URL that names no tag or digest (the portal's artifact content
/// endpoint, <c>…/artifacts/{name}/{tag}/content</c>) stays a plain GET, as before OCI pulls.</item>
/// </list>
/// Credentials, first match wins: those registry.put gave for the registry (by <c>host:port</c>,
/// then host), then --oci-user/--oci-password (only for --oci-registry when that is set), then,
/// for plain URLs only, the artifact bearer token.
/// </summary>
public sealed class ImageFetcher
{
    private readonly HostOptions _options;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, RegistryCredential> _registries = new(StringComparer.OrdinalIgnoreCase);

    public ImageFetcher(HostOptions options, HttpClient http)
    {
        _options = options;
        _http = http;
        Cache = new WasmCache(options.ImageCacheBytes);
        Oci = new OciPuller(options, http, Cache, CredentialFor);
    }

    /// <summary>Pulled wasm by layer digest.</summary>
    public WasmCache Cache { get; }

    public OciPuller Oci { get; }

    /// <summary>Merges registry.put credentials (keyed by registry host, optionally with port).</summary>
    public void PutRegistries(IReadOnlyDictionary<string, RegistryCredential> registries)
    {
        foreach (var (host, credential) in registries) _registries[host] = credential;
    }

    public async Task<byte[]> FetchAsync(string imageRef, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(imageRef)) throw new ImageFetchException("an image reference is required");
        if (imageRef.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            if (!_options.AllowFileLoad) throw new ImageFetchException($"unable to load {imageRef}: file loads are disabled (start the host with --allow-file-load)");
            var path = Uri.UnescapeDataString(imageRef["file://".Length..]);
            if (!File.Exists(path)) throw new ImageFetchException($"unable to load {imageRef}: no such file");
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }

        if (IsPlainUrl(imageRef)) return await GetAsync(new Uri(imageRef), cancellationToken);

        if (!OciReference.TryParse(imageRef, out var reference, out var error)) throw new ImageFetchException($"unable to fetch {imageRef}: {error}");
        try
        {
            return await Oci.PullAsync(reference, cancellationToken);
        }
        catch (OciPullException e)
        {
            throw new ImageFetchException(e.Message);
        }
    }

    /// <summary>
    /// An http(s) URL that is not an OCI reference with a tag or digest: the portal's artifact
    /// content endpoint and other plain downloads. Everything else with a scheme prefix is OCI.
    /// </summary>
    public static bool IsPlainUrl(string imageRef) =>
        (imageRef.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || imageRef.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        && !(OciReference.TryParse(imageRef, out var reference, out _) && reference.IsExplicit);

    /// <summary>The credentials this host uses for a registry (<c>host[:port]</c>), or null for anonymous pulls.</summary>
    public OciCredential? CredentialFor(OciReference reference)
    {
        if (_registries.TryGetValue(reference.Registry, out var put) || _registries.TryGetValue(reference.RegistryHost, out put))
        {
            if (!string.IsNullOrEmpty(put.Token)) return new OciCredential(put.Username, put.Password, put.Token);
            if (!string.IsNullOrEmpty(put.Username)) return new OciCredential(put.Username, put.Password ?? "");
        }

        if (_options.OciUser is null) return null;
        if (_options.OciRegistry is { } registry
            && !registry.Equals(reference.Registry, StringComparison.OrdinalIgnoreCase)
            && !registry.Equals(reference.RegistryHost, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new OciCredential(_options.OciUser, _options.OciPassword ?? "");
    }

    private async Task<byte[]> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = AuthorizationFor(uri);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ImageFetchException($"unable to fetch {uri}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private AuthenticationHeaderValue? AuthorizationFor(Uri uri)
    {
        if (_registries.TryGetValue(uri.Authority, out var credential) || _registries.TryGetValue(uri.Host, out credential))
        {
            if (!string.IsNullOrEmpty(credential.Token)) return new AuthenticationHeaderValue("Bearer", credential.Token);
            if (credential.Username is not null) return Basic(credential.Username, credential.Password ?? "");
        }

        if (_options.OciUser is not null) return Basic(_options.OciUser, _options.OciPassword ?? "");
        return _options.ArtifactToken is null ? null : new AuthenticationHeaderValue("Bearer", _options.ArtifactToken);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}

public sealed class ImageFetchException(string message) : Exception(message);
