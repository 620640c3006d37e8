using System.Collections.Concurrent;
using System.Net;
using Portal.Host.Configuration;
using Portal.Lattice.Oci;

namespace Portal.Host.Artifacts;

/// <summary>
/// Pulls a wasm component from an OCI registry as a wasmCloud 1.x host does: the manifest (OCI
/// image manifest types), its one wasm layer (<c>application/wasm</c>, or the legacy wasmCloud
/// layer type), the blob verified against its sha256. Bytes are cached by layer digest, and a
/// reference pinned by digest remembers its layer, so pulling it again needs no registry at all.
/// Registries are reached over HTTPS unless they are loopback or listed in --allowed-insecure.
/// </summary>
public sealed class OciPuller(HostOptions options, HttpClient http, WasmCache cache, Func<OciReference, OciCredential?> credentials)
{
    private readonly ConcurrentDictionary<string, string> _pinnedLayers = new(StringComparer.Ordinal);

    public async Task<byte[]> PullAsync(OciReference reference, CancellationToken cancellationToken)
    {
        if (reference.IsLatest && !options.AllowLatest)
        {
            throw new OciPullException($"unable to pull {reference}: it pulls the tag 'latest', which this host refuses unless started with --allow-latest (WASMCLOUD_OCI_ALLOW_LATEST=true); use a version tag or a digest");
        }

        var pinnedKey = reference.Digest is { } digest ? $"{reference.Registry}/{reference.Repository}@{digest}" : null;
        if (pinnedKey is not null && _pinnedLayers.TryGetValue(pinnedKey, out var knownLayer) && cache.TryGet(knownLayer, out var known)) return known;

        var client = new OciRegistryClient(http, reference, credentials(reference), IsPlainHttp(reference));
        var manifest = await client.GetManifestAsync(cancellationToken);
        OciDescriptor layer;
        try
        {
            layer = manifest.WasmLayer();
        }
        catch (OciFormatException e)
        {
            throw new OciPullException($"unable to pull {reference}: {e.Message}");
        }

        if (pinnedKey is not null) _pinnedLayers[pinnedKey] = layer.Digest;
        if (cache.TryGet(layer.Digest, out var cached)) return cached;
        var bytes = await client.GetBlobAsync(layer, cancellationToken);
        cache.Add(layer.Digest, bytes);
        return bytes;
    }

    /// <summary>Loopback registries and those the host was told to reach without TLS.</summary>
    public bool IsPlainHttp(OciReference reference)
    {
        var host = reference.RegistryHost.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip))) return true;
        return options.AllowedInsecure.Any(allowed =>
            allowed.Equals(reference.Registry, StringComparison.OrdinalIgnoreCase) || allowed.Equals(reference.RegistryHost, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// Pulled wasm by digest, up to a byte budget; the oldest entries go first. The arrays are shared:
/// callers read them and never write to them.
/// </summary>
public sealed class WasmCache(long capacityBytes)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _bytes;

    public long Bytes
    {
        get
        {
            lock (_lock) return _bytes;
        }
    }

    public bool Contains(string digest)
    {
        lock (_lock) return _entries.ContainsKey(digest);
    }

    public bool TryGet(string digest, out byte[] bytes)
    {
        lock (_lock) return _entries.TryGetValue(digest, out bytes!);
    }

    public void Add(string digest, byte[] bytes)
    {
        if (bytes.LongLength > capacityBytes) return;
        lock (_lock)
        {
            if (!_entries.TryAdd(digest, bytes)) return;
            _order.Enqueue(digest);
            _bytes += bytes.LongLength;
            while (_bytes > capacityBytes && _order.TryDequeue(out var oldest))
            {
                if (_entries.Remove(oldest, out var evicted)) _bytes -= evicted.LongLength;
            }
        }
    }
}
