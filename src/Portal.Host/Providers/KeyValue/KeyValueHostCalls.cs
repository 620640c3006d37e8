using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Portal.Host.Engine;
using Portal.Host.State;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Lattice.Nats.KeyValue;

namespace Portal.Host.Providers.KeyValue;

/// <summary>
/// Answers components' wasi:keyvalue/store and wasi:keyvalue/atomics calls (0.2.0-draft). A call
/// carries the identifier given to <c>open</c>; it picks the component's <c>wasi:keyvalue</c> link of
/// that name ("" means "default"; a component with one such link may use any name), the link's
/// target must be a key-value provider running on this host, and the link's target config key
/// <c>bucket</c> names the logical bucket ("default" when absent). Data lives in the lattice's
/// <c>KEYVALUE_{lattice}</c> JetStream bucket under <c>{bucket}.{key}</c> (<see cref="StoreKey"/>), so
/// every host of the lattice reads and writes the same values; counters are decimal text, as
/// wasmCloud's NATS provider keeps them, and increments are compare-and-set.
/// </summary>
public sealed class KeyValueHostCalls(
    NatsConnection connection,
    LatticeSubjects subjects,
    LatticeStore store,
    Func<string, IBuiltinProvider?> findProvider,
    ILogger logger) : IHostCallHandler
{
    public const string StoreInterface = "wasi:keyvalue/store";
    public const string AtomicsInterface = "wasi:keyvalue/atomics";

    private const string DefaultLinkName = "default";

    /// <summary>Compare-and-set rounds an increment may lose to other writers before it reports failure.</summary>
    private const int MaxIncrementAttempts = 50;

    private readonly SemaphoreSlim _opening = new(1, 1);
    private NatsKvStore? _data;

    public async ValueTask<HostCallResult> CallAsync(HostCall call, CancellationToken cancellationToken)
    {
        var iface = call.Interface switch
        {
            StoreInterface => "store",
            AtomicsInterface => "atomics",
            _ => null,
        };
        if (iface is null) return HostCallResult.Error("other", $"{call.Interface} is not provided by this host");
        if (call.Arguments.Count == 0) return HostCallResult.Error("other", "missing bucket identifier");
        var (bucket, refusal) = Resolve(call.ComponentId, call.Text(0), call.Function == "open" ? null : iface);
        if (refusal is not null) return refusal;
        try
        {
            var data = await DataAsync(cancellationToken);
            return (iface, call.Function) switch
            {
                ("store", "open") => HostCallResult.Ok(),
                ("store", "list-keys") => await ListKeysAsync(data, bucket!, cancellationToken),
                _ when call.Arguments.Count < 2 || call.Arguments[1].IsEmpty => HostCallResult.Error("other", "keys must not be empty"),
                ("store", "get") => await data.GetEntryAsync(StoreKey.Encode(bucket!, call.Text(1)), cancellationToken) is { } entry
                    ? HostCallResult.Ok(entry.Value)
                    : HostCallResult.Ok(),
                ("store", "set") when call.Arguments.Count == 3 => await SetAsync(data, StoreKey.Encode(bucket!, call.Text(1)), call.Arguments[2], cancellationToken),
                ("store", "delete") => await DeleteAsync(data, StoreKey.Encode(bucket!, call.Text(1)), cancellationToken),
                ("store", "exists") => HostCallResult.Ok(new[] { (byte)(await data.GetEntryAsync(StoreKey.Encode(bucket!, call.Text(1)), cancellationToken) is null ? 0 : 1) }),
                ("atomics", "increment") when call.Arguments.Count == 3 && ulong.TryParse(call.Text(2), NumberStyles.None, CultureInfo.InvariantCulture, out var delta) =>
                    await IncrementAsync(data, StoreKey.Encode(bucket!, call.Text(1)), delta, cancellationToken),
                _ => HostCallResult.Error("other", $"{call.Interface}.{call.Function} is not supported with these arguments"),
            };
        }
        catch (NatsException e)
        {
            logger.LogWarning("wasi:keyvalue {Function} of component {Component} failed: {Error}", call.Function, call.ComponentId, e.Message);
            return HostCallResult.Error("other", e.Message);
        }
    }

    /// <summary>The logical bucket for the call, or the error variant that refuses it.</summary>
    private (string? Bucket, HostCallResult? Refusal) Resolve(string componentId, string identifier, string? iface)
    {
        var links = store.Links.Where(l => l.SourceId == componentId && l.WitNamespace == "wasi" && l.WitPackage == "keyvalue").ToList();
        var name = identifier.Length == 0 ? DefaultLinkName : identifier;
        var link = links.FirstOrDefault(l => l.Name == name) ?? links.FirstOrDefault(l => l.Name == DefaultLinkName) ?? (links.Count == 1 ? links[0] : null);
        if (link is null) return (null, HostCallResult.Error("no-such-store"));
        if (iface is not null && !link.Interfaces.Contains(iface))
            return (null, HostCallResult.Error("access-denied"));
        if (findProvider(link.Target) is not KeyValueProvider)
            return (null, HostCallResult.Error("other", $"key-value provider {link.Target} is not running on this host"));
        var config = store.MergedConfig(link.TargetConfig);
        var bucket = config.FirstOrDefault(c => string.Equals(c.Key, StoreKey.BucketConfigKey, StringComparison.OrdinalIgnoreCase)).Value ?? StoreKey.DefaultBucket;
        return StoreKey.IsValidBucket(bucket)
            ? (bucket, null)
            : (null, HostCallResult.Error("other", $"bucket name '{bucket}' of link {link.Name} is not valid (letters, digits, '-' and '_')"));
    }

    private async ValueTask<NatsKvStore> DataAsync(CancellationToken cancellationToken)
    {
        if (_data is { } data) return data;
        await _opening.WaitAsync(cancellationToken);
        try
        {
            // Created by the first host that needs it, bound by the others.
            return _data ??= await new NatsKeyValue(connection).CreateOrBindAsync(
                new KvStoreConfig(subjects.KeyValueDataBucket) { Description = "wasi:keyvalue data of the lattice's components" }, cancellationToken);
        }
        finally
        {
            _opening.Release();
        }
    }

    private static async ValueTask<HostCallResult> SetAsync(NatsKvStore data, string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        await data.PutAsync(key, value, cancellationToken);
        return HostCallResult.Ok();
    }

    private static async ValueTask<HostCallResult> DeleteAsync(NatsKvStore data, string key, CancellationToken cancellationToken)
    {
        // A purge leaves one marker instead of the key's history.
        await data.PurgeAsync(key, cancellationToken);
        return HostCallResult.Ok();
    }

    private static async ValueTask<HostCallResult> ListKeysAsync(NatsKvStore data, string bucket, CancellationToken cancellationToken)
    {
        var keys = await data.GetKeysAsync(bucket + ".*", cancellationToken);
        return HostCallResult.Ok(keys.Select(k => StoreKey.Decode(bucket, k)).OfType<string>()
            .Select(k => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(k)).ToArray());
    }

    private static async ValueTask<HostCallResult> IncrementAsync(NatsKvStore data, string key, ulong delta, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxIncrementAttempts; attempt++)
        {
            var entry = await data.GetEntryAsync(key, cancellationToken);
            ulong current = 0;
            if (entry is not null && !entry.Value.IsEmpty
                && !ulong.TryParse(entry.Value.Span, NumberStyles.None, CultureInfo.InvariantCulture, out current))
            {
                return HostCallResult.Error("other", "cannot increment a value that is not a decimal number");
            }

            if (ulong.MaxValue - current < delta) return HostCallResult.Error("other", "increment overflows u64");
            var next = current + delta;
            var text = Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture));
            try
            {
                if (entry is null) await data.CreateAsync(key, text, cancellationToken);
                else await data.UpdateAsync(key, text, entry.Revision, cancellationToken);
                return HostCallResult.Ok(text);
            }
            catch (NatsKvWrongRevisionException)
            {
                // Someone incremented meanwhile: read their value and try again, after a short random pause.
                await Task.Delay(Random.Shared.Next(0, Math.Min(50, 2 * attempt)), cancellationToken);
            }
        }

        return HostCallResult.Error("other", $"increment lost {MaxIncrementAttempts} races in a row; try again");
    }
}
