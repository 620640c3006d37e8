using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Benchmarks.Reconciler;

/// <summary>
/// Links and named config as the lattice shares them. Real hosts share these through JetStream KV;
/// light hosts share one in-process copy, so link.get and config.get answer the same whichever host
/// the queue group picks.
/// </summary>
internal sealed class SharedLatticeData
{
    public ConcurrentDictionary<(string Source, string Ns, string Pkg, string Name), Link> Links { get; } = new();

    public ConcurrentDictionary<string, Dictionary<string, string>> Configs { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A wasmCloud 1.x host reduced to the protocol, for benchmarks: it subscribes as a host does,
/// answers control requests with the real envelopes, publishes the real events and heartbeats
/// over a real nats-server, and keeps the inventory a host would report. It runs no wasm, so a
/// benchmark measures the reconciler and the wire, not an engine.
/// </summary>
internal sealed class LightHost : IAsyncDisposable
{
    private readonly NatsConnection _nats;
    private readonly LatticeSubjects _subjects;
    private readonly SharedLatticeData _shared;
    private readonly ConcurrentDictionary<string, ComponentDescription> _components = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProviderDescription> _providers = new(StringComparer.Ordinal);
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    private LightHost(NatsConnection nats, string lattice, Dictionary<string, string> labels, SharedLatticeData shared)
    {
        _nats = nats;
        _subjects = new LatticeSubjects(lattice);
        _shared = shared;
        HostId = "N" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 55);
        Labels = new Dictionary<string, string>(labels) { ["hostcore.os"] = "linux" };
    }

    public string HostId { get; }

    public Dictionary<string, string> Labels { get; }

    public int ComponentCount => _components.Count;

    public static async Task<LightHost> StartAsync(string natsUrl, string lattice, Dictionary<string, string> labels, SharedLatticeData shared, TimeSpan heartbeat)
    {
        var nats = new NatsConnection(new NatsOpts { Url = natsUrl, Name = "light-host" });
        await nats.ConnectAsync();
        var host = new LightHost(nats, lattice, labels, shared);
        foreach (var (filter, queue) in host._subjects.HostSubscriptions(host.HostId))
        {
            var sub = await nats.SubscribeAsync(filter, queue);
            host._loops.Add(Task.Run(() => host.ServeAsync(sub)));
        }

        await nats.FlushAsync();
        await host.PublishAsync(LatticeEvents.HostStarted, new HostStartedEvent { FriendlyName = host.HostId[..8], Labels = host.Labels, Version = "1.9.2" });
        host._loops.Add(Task.Run(() => host.HeartbeatsAsync(heartbeat)));
        return host;
    }

    /// <summary>Vanishes like a killed process: no host_stopped, no more heartbeats or answers.</summary>
    public async Task CrashAsync()
    {
        await _stop.CancelAsync();
        await _nats.DisposeAsync();
    }

    /// <summary>
    /// Changes a component's instance count as a scale command would and announces it with
    /// component_scaled; returns the moment the event was handed to NATS (S8 times from there).
    /// </summary>
    public async Task<DateTimeOffset> AnnounceScaleAsync(string componentId, string imageRef, uint count)
    {
        _components[componentId] = new ComponentDescription { Id = componentId, ImageRef = imageRef, MaxInstances = count, Annotations = [] };
        var data = LatticeJson.Serialize(LatticeEvents.Create(LatticeEvents.ComponentScaled, HostId,
            new ComponentScaledEvent { Annotations = [], HostId = HostId, ImageRef = imageRef, MaxInstances = count, ComponentId = componentId }));
        var sent = DateTimeOffset.UtcNow;
        await _nats.PublishAsync(_subjects.Event(LatticeEvents.ComponentScaled), data);
        return sent;
    }

    private async Task HeartbeatsAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) await PublishAsync(LatticeEvents.HostHeartbeat, Inventory());
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or NatsException)
        {
            // Stopped or crashed.
        }
    }

    private Task PublishAsync<T>(string name, T data) =>
        _nats.PublishAsync(_subjects.Event(name), LatticeJson.Serialize(LatticeEvents.Create(name, HostId, data))).AsTask();

    private HostInventory Inventory()
    {
        var uptime = (ulong)(DateTimeOffset.UtcNow - _started).TotalSeconds;
        return new HostInventory
        {
            Components = [.. _components.Values], Providers = [.. _providers.Values], HostId = HostId, FriendlyName = HostId[..8],
            Labels = new Dictionary<string, string>(Labels), Version = "1.9.2", UptimeHuman = $"{uptime}s", UptimeSeconds = uptime,
        };
    }

    private async Task ServeAsync(NatsSubscription sub)
    {
        try
        {
            await foreach (var msg in sub)
            {
                object reply;
                try
                {
                    reply = await HandleAsync(msg.Subject, msg.Data.Length == 0 ? null : JsonNode.Parse(msg.Data.Span));
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException)
                {
                    reply = CtlResponse.Error("failed to deserialize request");
                }

                if (msg.ReplyTo is not null) await msg.ReplyAsync(JsonSerializer.SerializeToUtf8Bytes(reply, reply.GetType(), LatticeJson.Options));
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or NatsException or OperationCanceledException)
        {
            // Crashed or disposed.
        }
    }

    private async Task<object> HandleAsync(string subject, JsonNode? json)
    {
        switch (subject[(_subjects.Root.Length + 1)..].Split('.'))
        {
            case ["host", "ping"]:
                return CtlResponse<HostInfo>.Ok(new HostInfo { Id = HostId, FriendlyName = HostId[..8], Labels = Labels, Lattice = _subjects.Lattice, Version = "1.9.2" });
            case ["host", "get", _]:
                return CtlResponse<HostInventory>.Ok(Inventory());
            case ["component", "scale", _]:
            {
                var id = (string)json!["component_id"]!;
                var count = (uint?)json["count"] ?? 0;
                var image = (string?)json["component_ref"] ?? "";
                var annotations = json["annotations"]?.Deserialize<Dictionary<string, string>>() ?? [];
                if (count == 0) _components.TryRemove(id, out _);
                else _components[id] = new ComponentDescription { Id = id, ImageRef = image, MaxInstances = count, Annotations = annotations };
                await PublishAsync(LatticeEvents.ComponentScaled, new ComponentScaledEvent { Annotations = annotations, HostId = HostId, ImageRef = image, MaxInstances = count, ComponentId = id });
                return CtlResponse.Ok();
            }

            case ["provider", "start", _]:
            {
                var id = (string)json!["provider_id"]!;
                var annotations = json["annotations"]?.Deserialize<Dictionary<string, string>>() ?? [];
                if (!_providers.TryAdd(id, new ProviderDescription { Id = id, ImageRef = (string?)json["provider_ref"], Annotations = annotations })) return CtlResponse.Error("provider with that ID is already running");
                await PublishAsync(LatticeEvents.ProviderStarted, new ProviderStartedEvent { HostId = HostId, ImageRef = (string?)json["provider_ref"] ?? "", ProviderId = id, Annotations = annotations });
                return CtlResponse.Ok();
            }

            case ["provider", "stop", _]:
            {
                var id = (string)json!["provider_id"]!;
                if (!_providers.TryRemove(id, out _)) return CtlResponse.Error("provider with that ID is not running");
                await PublishAsync(LatticeEvents.ProviderStopped, new ProviderStoppedEvent { HostId = HostId, ProviderId = id, Annotations = [] });
                return CtlResponse.Ok();
            }

            case ["link", "put"]:
            {
                var link = json.Deserialize<Link>(LatticeJson.Options)!;
                _shared.Links[(link.SourceId, link.WitNamespace, link.WitPackage, link.Name)] = link;
                await PublishAsync(LatticeEvents.LinkdefSet, link);
                return CtlResponse.Ok();
            }

            case ["link", "del"]:
            {
                var del = json.Deserialize<DeleteLinkRequest>(LatticeJson.Options)!;
                _shared.Links.TryRemove((del.SourceId, del.WitNamespace, del.WitPackage, del.Name), out _);
                await PublishAsync(LatticeEvents.LinkdefDeleted, new LinkdefDeletedEvent { SourceId = del.SourceId, Name = del.Name, WitNamespace = del.WitNamespace, WitPackage = del.WitPackage });
                return CtlResponse.Ok();
            }

            case ["link", "get"]:
                return CtlResponse<List<Link>>.Ok([.. _shared.Links.Values]);
            case ["config", "put", var name]:
                _shared.Configs[name] = json.Deserialize<Dictionary<string, string>>()!;
                await PublishAsync(LatticeEvents.ConfigSet, new ConfigEvent { ConfigName = name });
                return CtlResponse.Ok();
            case ["config", "get", var name]:
                return _shared.Configs.TryGetValue(name, out var values) ? CtlResponse<Dictionary<string, string>>.Ok(values) : CtlResponse.Ok("Configuration not found");
            case ["config", "del", var name]:
                _shared.Configs.TryRemove(name, out _);
                await PublishAsync(LatticeEvents.ConfigDeleted, new ConfigEvent { ConfigName = name });
                return CtlResponse.Ok();
            case ["claims", "get"]:
                return CtlResponse<List<Dictionary<string, string>>>.Ok([]);
            default:
                return CtlResponse.Error("unsupported subject");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _nats.DisposeAsync();
        }

        await Task.WhenAll(_loops);
    }
}
