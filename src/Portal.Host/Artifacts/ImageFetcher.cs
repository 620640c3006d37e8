using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Portal.Host.Configuration;
using Portal.Lattice.Control;

namespace Portal.Host.Artifacts;

/// <summary>
/// Turns a component's image reference into wasm bytes (protocol 3.4). <c>file://</c> only when
/// the host allows file loads; <c>http(s)://</c> is a plain GET (the portal's artifact content
/// endpoint) with the host's credentials: those registry.put gave for that host, else the OCI
/// user/password, else the artifact bearer token. OCI registry refs follow with the Artifacts work.
/// </summary>
public sealed class ImageFetcher(HostOptions options, HttpClient http)
{
    private readonly ConcurrentDictionary<string, RegistryCredential> _registries = new(StringComparer.OrdinalIgnoreCase);

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
            if (!options.AllowFileLoad) throw new ImageFetchException($"unable to load {imageRef}: file loads are disabled (start the host with --allow-file-load)");
            var path = Uri.UnescapeDataString(imageRef["file://".Length..]);
            if (!File.Exists(path)) throw new ImageFetchException($"unable to load {imageRef}: no such file");
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }

        if (imageRef.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || imageRef.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return await GetAsync(new Uri(imageRef), cancellationToken);
        }

        throw new ImageFetchException($"unable to fetch {imageRef}: OCI registry references are not supported by this host yet (use file:// or the portal's artifact content URL)");
    }

    private async Task<byte[]> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = AuthorizationFor(uri);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
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

        if (options.OciUser is not null) return Basic(options.OciUser, options.OciPassword ?? "");
        return options.ArtifactToken is null ? null : new AuthenticationHeaderValue("Bearer", options.ArtifactToken);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}

public sealed class ImageFetchException(string message) : Exception(message);
