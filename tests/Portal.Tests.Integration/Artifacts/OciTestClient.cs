using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portal.Tests.Integration.Artifacts;

/// <summary>
/// Raw OCI distribution requests, written out by hand as any registry client sends them, so the
/// tests see exactly the status codes, headers and error bodies the registry answers.
/// </summary>
public sealed class OciTestClient(HttpClient http, AuthenticationHeaderValue? authorization)
{
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = authorization;
        configure?.Invoke(request);
        return await http.SendAsync(request, Ct);
    }

    /// <summary>Starts an upload session; returns its Location.</summary>
    public async Task<string> StartUploadAsync(string repository)
    {
        var response = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        Assert.True(response.Headers.Contains("Docker-Upload-UUID"));
        return response.Headers.Location!.OriginalString;
    }

    public Task<HttpResponseMessage> PatchAsync(string location, byte[] chunk, long start, bool withRange = true) =>
        SendAsync(HttpMethod.Patch, location, Octets(chunk), r =>
        {
            if (withRange) r.Content!.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + chunk.Length - 1}");
        });

    public Task<HttpResponseMessage> CompleteAsync(string location, string digest, byte[]? lastChunk = null) =>
        SendAsync(HttpMethod.Put, $"{location}{(location.Contains('?') ? '&' : '?')}digest={Uri.EscapeDataString(digest)}", lastChunk is null ? null : Octets(lastChunk));

    /// <summary>POST ?digest= with the whole blob.</summary>
    public Task<HttpResponseMessage> PushWholeAsync(string repository, byte[] blob, string? digest = null) =>
        SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={Uri.EscapeDataString(digest ?? Digest(blob))}", Octets(blob));

    /// <summary>Pushes the blob in two PATCH chunks and a PUT; asserts every step.</summary>
    public async Task<string> PushChunkedAsync(string repository, byte[] blob)
    {
        var location = await StartUploadAsync(repository);
        var half = blob.Length / 2;
        var first = await PatchAsync(location, blob[..half], 0);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal($"0-{half - 1}", Header(first, "Range"));
        location = first.Headers.Location!.OriginalString;
        var second = await PatchAsync(location, blob[half..], half);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal($"0-{blob.Length - 1}", Header(second, "Range"));
        var done = await CompleteAsync(second.Headers.Location!.OriginalString, Digest(blob));
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        Assert.Equal(Digest(blob), Header(done, "Docker-Content-Digest"));
        Assert.Equal($"/v2/{repository}/blobs/{Digest(blob)}", done.Headers.Location?.OriginalString);
        return Digest(blob);
    }

    /// <summary>A wasm image manifest (config + one wasm layer), as wash and oras write them.</summary>
    public static byte[] Manifest(byte[] config, byte[] wasm, string layerType = "application/wasm", string configType = "application/vnd.wasm.config.v0+json") =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = ManifestType,
            artifactType = "application/wasm",
            config = new { mediaType = configType, digest = Digest(config), size = config.Length },
            layers = new[] { new { mediaType = layerType, digest = Digest(wasm), size = wasm.Length } },
        });

    public static byte[] Config(byte[] wasm) =>
        JsonSerializer.SerializeToUtf8Bytes(new { created = "2026-01-01T00:00:00Z", architecture = "wasm", os = "wasip1", layerDigests = new[] { Digest(wasm) } });

    public Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, byte[] manifest, string contentType = ManifestType)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{reference}", content);
    }

    /// <summary>Pushes config, wasm (chunked) and the manifest under <paramref name="tag"/>; returns the manifest's digest.</summary>
    public async Task<string> PushArtifactAsync(string repository, string tag, byte[] wasm)
    {
        var config = Config(wasm);
        Assert.Equal(HttpStatusCode.Created, (await PushWholeAsync(repository, config)).StatusCode);
        await PushChunkedAsync(repository, wasm);
        var manifest = Manifest(config, wasm);
        var put = await PutManifestAsync(repository, tag, manifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(Digest(manifest), Header(put, "Docker-Content-Digest"));
        return Digest(manifest);
    }

    /// <summary>The first OCI error code of a response body.</summary>
    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), body);
        return error.GetProperty("code").GetString()!;
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    public static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
