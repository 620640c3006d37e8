using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Lattice.Nats.KeyValue;

namespace Portal.Host.State;

/// <summary>
/// The lattice-wide state every host shares: component specs with their links in
/// <c>LATTICEDATA_{lattice}</c> and named config in <c>CONFIGDATA_{lattice}</c>. Both buckets are
/// watched, so what another host writes is in our caches moments later; writes go to the bucket
/// and to the cache at once, so the writer sees its own change without waiting for the watch.
/// </summary>
public sealed class LatticeStore : IAsyncDisposable
{
    private const string ComponentKeyPrefix = "COMPONENT_";
    private const string ClaimsKeyPrefix = "CLAIMS_";

    /// <summary>Compare-and-set attempts before a spec write gives up (each lost race means another host's write went in).</summary>
    private const int MaxWriteAttempts = 20;

    private readonly NatsKvStore _data;
    private readonly NatsKvStore _config;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ComponentSpec> _specs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Dictionary<string, string>> _configs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Dictionary<string, string>> _claims = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watches = [];

    private LatticeStore(NatsKvStore data, NatsKvStore config, ILogger logger)
    {
        _data = data;
        _config = config;
        _logger = logger;
    }

    /// <summary>Raised (on a watch task) after links or config changed, by us or by another host.</summary>
    public event Action? Changed;

    /// <summary>Creates or binds both buckets, loads their current contents, then keeps watching them.</summary>
    public static async Task<LatticeStore> OpenAsync(NatsConnection connection, LatticeSubjects subjects, ILogger logger, CancellationToken cancellationToken)
    {
        var kv = new NatsKeyValue(connection);
        var data = await kv.CreateOrBindAsync(new KvStoreConfig(subjects.LatticeDataBucket), cancellationToken);
        var config = await kv.CreateOrBindAsync(new KvStoreConfig(subjects.ConfigDataBucket), cancellationToken);
        var store = new LatticeStore(data, config, logger);
        await foreach (var entry in data.GetAllAsync(cancellationToken)) store.ApplyData(entry);
        await foreach (var entry in config.GetAllAsync(cancellationToken)) store.ApplyConfig(entry);
        store._watches.Add(store.WatchAsync(data, store.ApplyData));
        store._watches.Add(store.WatchAsync(config, store.ApplyConfig));
        return store;
    }

    /// <summary>Every link in the lattice (every link of every spec).</summary>
    public List<Link> Links => _specs.Values.SelectMany(s => s.Links).ToList();

    public IReadOnlyCollection<string> ConfigNames => _configs.Keys.ToList();

    /// <summary>Stored claims of every signed component any host of the lattice started (<c>CLAIMS_{subject}</c>).</summary>
    public IReadOnlyList<Dictionary<string, string>> Claims => _claims.Values.Select(c => new Dictionary<string, string>(c)).ToList();

    public async Task PutClaimsAsync(string subject, Dictionary<string, string> claims, CancellationToken cancellationToken)
    {
        await _data.PutAsync(ClaimsKeyPrefix + subject, JsonSerializer.SerializeToUtf8Bytes(claims), cancellationToken);
        _claims[subject] = claims;
    }

    /// <summary>Reads a spec from the bucket (not the cache), so it includes the latest write of any host.</summary>
    public async Task<ComponentSpec> ReadSpecAsync(string id, CancellationToken cancellationToken) =>
        (await ReadSpecEntryAsync(id, cancellationToken)).Spec;

    private async Task<(ComponentSpec Spec, ulong Revision)> ReadSpecEntryAsync(string id, CancellationToken cancellationToken)
    {
        var entry = await _data.GetEntryAsync(ComponentKeyPrefix + id, cancellationToken);
        var spec = entry is null ? null : Parse<ComponentSpec>(entry.Value, "spec " + id);
        return (spec ?? new ComponentSpec(), entry?.Revision ?? 0);
    }

    /// <summary>
    /// Read-modify-write of one spec with compare-and-set: <paramref name="change"/> gets the
    /// bucket's current spec and returns the new one (or null to write nothing); the write expects
    /// the revision that was read, and when another host wrote in between, the change is applied
    /// again to what it wrote. Without this, two link puts through two hosts could each build on
    /// the same old spec and the second write would drop the first link. Returns the spec as stored.
    /// </summary>
    public async Task<ComponentSpec> UpdateSpecAsync(string id, Func<ComponentSpec, ComponentSpec?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (current, revision) = await ReadSpecEntryAsync(id, cancellationToken);
            if (change(current) is not { } updated) return current;
            try
            {
                var bytes = LatticeJson.Serialize(updated);
                if (revision == 0) await _data.CreateAsync(ComponentKeyPrefix + id, bytes, cancellationToken);
                else await _data.UpdateAsync(ComponentKeyPrefix + id, bytes, revision, cancellationToken);
                _specs[id] = updated;
                Changed?.Invoke();
                return updated;
            }
            catch (NatsKvWrongRevisionException) when (attempt < MaxWriteAttempts)
            {
                // Lost the race: a short random pause spreads the retries of hosts that collided.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>Records the image of a started component or provider, keeping the links it already has.</summary>
    public Task SetUrlAsync(string id, string url, CancellationToken cancellationToken) =>
        UpdateSpecAsync(id, spec => spec.Url == url ? null : spec with { Url = url }, cancellationToken);

    /// <summary>From the bucket, so a config just put through another host is found.</summary>
    public async Task<Dictionary<string, string>?> ReadConfigAsync(string name, CancellationToken cancellationToken)
    {
        var value = await _config.GetAsync(name, cancellationToken);
        return value is { } bytes ? Parse<Dictionary<string, string>>(bytes, "config " + name) : null;
    }

    public async Task PutConfigAsync(string name, Dictionary<string, string> values, CancellationToken cancellationToken)
    {
        await _config.PutAsync(name, JsonSerializer.SerializeToUtf8Bytes(values), cancellationToken);
        _configs[name] = values;
        Changed?.Invoke();
    }

    public async Task DeleteConfigAsync(string name, CancellationToken cancellationToken)
    {
        await _config.PurgeAsync(name, cancellationToken);
        _configs.TryRemove(name, out _);
        Changed?.Invoke();
    }

    /// <summary>Named configs merged in list order, later names winning (protocol 3.7); unknown names contribute nothing.</summary>
    public Dictionary<string, string> MergedConfig(IEnumerable<string> names)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!_configs.TryGetValue(name, out var values)) continue;
            foreach (var (k, v) in values) merged[k] = v;
        }

        return merged;
    }

    private void ApplyData(KvEntry entry)
    {
        if (entry.Key.StartsWith(ClaimsKeyPrefix, StringComparison.Ordinal))
        {
            var subject = entry.Key[ClaimsKeyPrefix.Length..];
            if (entry.Operation != KvOperation.Put) _claims.TryRemove(subject, out _);
            else if (Parse<Dictionary<string, string>>(entry.Value, entry.Key) is { } claims) _claims[subject] = claims;
            return;
        }

        if (!entry.Key.StartsWith(ComponentKeyPrefix, StringComparison.Ordinal)) return; // legacy LINKDEF_*/REFMAP_*
        var id = entry.Key[ComponentKeyPrefix.Length..];
        if (entry.Operation != KvOperation.Put)
        {
            _specs.TryRemove(id, out _);
            return;
        }

        if (Parse<ComponentSpec>(entry.Value, entry.Key) is { } spec) _specs[id] = spec;
    }

    private void ApplyConfig(KvEntry entry)
    {
        if (entry.Operation != KvOperation.Put)
        {
            _configs.TryRemove(entry.Key, out _);
            return;
        }

        if (Parse<Dictionary<string, string>>(entry.Value, entry.Key) is { } values) _configs[entry.Key] = values;
    }

    private T? Parse<T>(ReadOnlyMemory<byte> json, string what)
    {
        try
        {
            return LatticeJson.Deserialize<T>(json.Span);
        }
        catch (JsonException e)
        {
            // Another host (or a person with the nats CLI) wrote something we cannot read: skip it, keep the rest.
            _logger.LogWarning("Ignoring unreadable {What} in the lattice store: {Error}", what, e.Message);
            return default;
        }
    }

    // A full watch (current values, then changes) rather than updates only: it closes the gap between
    // the initial load and the watch, and replaying a value we already hold changes nothing.
    private async Task WatchAsync(NatsKvStore store, Action<KvEntry> apply)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var entry in store.WatchAsync(">", null, _stop.Token))
                {
                    apply(entry);
                    Changed?.Invoke();
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Watch of {Bucket} failed; watching again", store.Bucket);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_watches);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }
}
