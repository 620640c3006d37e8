using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Tests.Integration.Lattice;

/// <summary>
/// A small wasmCloud 1.x host at the protocol level: it subscribes exactly as a host does
/// (lattice-protocol.md 1.2), answers control requests with the documented envelopes and messages,
/// and publishes host events, over a real nats-server. It runs nothing: it only keeps the
/// inventory a real host would report. Command bodies are read from raw JSON, not from our
/// records, so that the client's wire format is checked independently.
/// </summary>
internal sealed class ProtocolHost : IAsyncDisposable
{
    private readonly NatsConnection _nats;
    private readonly LatticeSubjects _subjects;
    private readonly List<NatsSubscription> _subscriptions = [];
    private readonly List<Task> _loops = [];
    private readonly Dictionary<string, ComponentDescription> _components = [];
    private readonly Dictionary<string, ProviderDescription> _providers = [];
    private readonly List<Link> _links = [];
    private readonly Dictionary<string, Dictionary<string, string>> _configs = [];
    private readonly object _gate = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private CancellationTokenSource? _heartbeats;
    private bool _disposed;

    private ProtocolHost(NatsConnection nats, string lattice, Dictionary<string, string> labels)
    {
        _nats = nats;
        _subjects = new LatticeSubjects(lattice);
        HostId = "N" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 55);
        FriendlyName = $"protocol-host-{RandomNumberGenerator.GetInt32(1000, 9999)}";
        Labels = new Dictionary<string, string> { ["hostcore.arch"] = "x86_64", ["hostcore.os"] = "linux", ["hostcore.osfamily"] = "unix" };
        foreach (var (k, v) in labels) Labels[k] = v;
    }

    public string HostId { get; }

    public string FriendlyName { get; }

    public Dictionary<string, string> Labels { get; }

    /// <summary>Raw JSON bodies of every request received, by subject, for wire checks.</summary>
    public List<(string Subject, string Body)> Received { get; } = [];

    public static async Task<ProtocolHost> StartAsync(string natsUrl, string lattice, Dictionary<string, string>? labels = null, TimeSpan? heartbeatInterval = null)
    {
        var nats = new NatsConnection(new NatsOpts { Url = natsUrl, Name = "protocol-host" });
        await nats.ConnectAsync();
        var host = new ProtocolHost(nats, lattice, labels ?? []);
        foreach (var (filter, queue) in host._subjects.HostSubscriptions(host.HostId))
        {
            var sub = await nats.SubscribeAsync(filter, queue);
            host._subscriptions.Add(sub);
            host._loops.Add(Task.Run(() => host.ServeAsync(sub)));
        }

        await nats.FlushAsync();
        await host.PublishEventAsync(LatticeEvents.HostStarted, new HostStartedEvent { FriendlyName = host.FriendlyName, Labels = host.Labels, Version = "1.9.2" });
        if (heartbeatInterval is { } interval) host.StartHeartbeats(interval);
        return host;
    }

    public void StartHeartbeats(TimeSpan interval)
    {
        _heartbeats = new CancellationTokenSource();
        var token = _heartbeats.Token;
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(token)) await HeartbeatAsync();
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or NatsException)
            {
            }
        }, token);
    }

    public Task HeartbeatAsync() => PublishEventAsync(LatticeEvents.HostHeartbeat, Inventory());

    public async Task PublishEventAsync<T>(string name, T data)
    {
        await _nats.PublishAsync(_subjects.Event(name), LatticeJson.Serialize(LatticeEvents.Create(name, HostId, data)));
        await _nats.FlushAsync();
    }

    /// <summary>Vanishes like a crashed process: no host_stopped, no more heartbeats or answers.</summary>
    public async Task CrashAsync()
    {
        _heartbeats?.Cancel();
        _disposed = true;
        await _nats.DisposeAsync();
    }

    private HostInventory Inventory()
    {
        lock (_gate)
        {
            var uptime = (ulong)(DateTimeOffset.UtcNow - _started).TotalSeconds;
            return new HostInventory
            {
                Components = [.. _components.Values],
                Providers = [.. _providers.Values],
                HostId = HostId,
                FriendlyName = FriendlyName,
                Labels = new Dictionary<string, string>(Labels),
                Version = "1.9.2",
                UptimeHuman = $"{uptime}s",
                UptimeSeconds = uptime,
            };
        }
    }

    private async Task ServeAsync(NatsSubscription sub)
    {
        try
        {
            await foreach (var msg in sub)
            {
                var body = System.Text.Encoding.UTF8.GetString(msg.Data.Span);
                lock (Received) Received.Add((msg.Subject, body));
                object reply;
                try
                {
                    reply = await HandleAsync(msg.Subject, body);
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
        }
    }

    private async Task<object> HandleAsync(string subject, string body)
    {
        // {prefix}.v1.{lattice}.{category}.{operation}[.{arg}]
        var tokens = subject[(_subjects.Root.Length + 1)..].Split('.');
        var json = body.Length == 0 ? null : JsonNode.Parse(body);
        switch (tokens)
        {
            case ["host", "ping"]:
                var uptime = (ulong)(DateTimeOffset.UtcNow - _started).TotalSeconds;
                return CtlResponse<HostInfo>.Ok(new HostInfo
                {
                    Id = HostId, FriendlyName = FriendlyName, Labels = Labels, Lattice = _subjects.Lattice,
                    Version = "1.9.2", UptimeSeconds = uptime, UptimeHuman = $"{uptime}s",
                });
            case ["host", "get", _]:
                return CtlResponse<HostInventory>.Ok(Inventory());
            case ["host", "stop", _]:
                _heartbeats?.Cancel();
                await PublishEventAsync(LatticeEvents.HostStopped, new HostStoppedEvent { Labels = Labels });
                return CtlResponse.Ok("successfully handled stop host");
            case ["label", "put", _]:
            {
                var key = (string)json!["key"]!;
                if (key.StartsWith("hostcore.", StringComparison.OrdinalIgnoreCase)) return CtlResponse.Error("hostcore.* labels cannot be set dynamically");
                lock (_gate) Labels[key] = (string)json["value"]!;
                await PublishEventAsync(LatticeEvents.LabelsChanged, new LabelsChangedEvent { HostId = HostId, Labels = new(Labels) });
                return CtlResponse.Ok("successfully put label");
            }

            case ["label", "del", _]:
            {
                bool removed;
                lock (_gate) removed = Labels.Remove((string)json!["key"]!);
                if (!removed) return CtlResponse.Ok("successfully deleted label (no such label)");
                await PublishEventAsync(LatticeEvents.LabelsChanged, new LabelsChangedEvent { HostId = HostId, Labels = new(Labels) });
                return CtlResponse.Ok("successfully deleted label");
            }

            case ["component", "scale", _]:
            {
                var id = (string)json!["component_id"]!;
                var count = (uint?)json["count"] ?? 0; // the wire name; max_instances would be ignored, as by a real host
                var imageRef = (string?)json["component_ref"] ?? "";
                var annotations = json["annotations"]?.Deserialize<Dictionary<string, string>>() ?? [];
                lock (_gate)
                {
                    if (count == 0) _components.Remove(id);
                    else _components[id] = new ComponentDescription { Id = id, ImageRef = imageRef, MaxInstances = count, Annotations = annotations };
                }

                await PublishEventAsync(LatticeEvents.ComponentScaled, new ComponentScaledEvent
                {
                    Annotations = annotations, HostId = (string?)json["host_id"] ?? "", ImageRef = imageRef, MaxInstances = count, ComponentId = id,
                });
                return CtlResponse.Ok();
            }

            case ["provider", "start", _]:
            {
                var id = (string)json!["provider_id"]!;
                lock (_gate)
                {
                    if (_providers.ContainsKey(id)) return CtlResponse.Error("provider with that ID is already running");
                    _providers[id] = new ProviderDescription { Id = id, ImageRef = (string?)json["provider_ref"], Annotations = [] };
                }

                await PublishEventAsync(LatticeEvents.ProviderStarted, new ProviderStartedEvent { HostId = HostId, ImageRef = (string?)json["provider_ref"] ?? "", ProviderId = id, Annotations = [] });
                return CtlResponse.Ok("successfully started provider");
            }

            case ["provider", "stop", _]:
            {
                var id = (string)json!["provider_id"]!;
                lock (_gate)
                {
                    if (!_providers.Remove(id)) return CtlResponse.Error("provider with that ID is not running");
                }

                await PublishEventAsync(LatticeEvents.ProviderStopped, new ProviderStoppedEvent { HostId = HostId, ProviderId = id, Annotations = [] });
                return CtlResponse.Ok("successfully stopped provider");
            }

            case ["link", "put"]:
            {
                var link = json.Deserialize<Link>(LatticeJson.Options)!;
                lock (_gate)
                {
                    _links.RemoveAll(l => l.SourceId == link.SourceId && l.WitNamespace == link.WitNamespace && l.WitPackage == link.WitPackage && l.Name == link.Name);
                    _links.Add(link);
                }

                await PublishEventAsync(LatticeEvents.LinkdefSet, link);
                return CtlResponse.Ok("successfully set link");
            }

            case ["link", "del"]:
            {
                var del = json.Deserialize<DeleteLinkRequest>(LatticeJson.Options)!;
                lock (_gate) _links.RemoveAll(l => l.SourceId == del.SourceId && l.WitNamespace == del.WitNamespace && l.WitPackage == del.WitPackage && l.Name == del.Name);
                await PublishEventAsync(LatticeEvents.LinkdefDeleted, new LinkdefDeletedEvent { SourceId = del.SourceId, Name = del.Name, WitNamespace = del.WitNamespace, WitPackage = del.WitPackage });
                return CtlResponse.Ok("successfully deleted link");
            }

            case ["link", "get"]:
                lock (_gate) return CtlResponse<List<Link>>.Ok([.. _links]);
            case ["config", "put", var name]:
            {
                var values = json.Deserialize<Dictionary<string, string>>()!;
                lock (_gate) _configs[name] = values;
                await PublishEventAsync(LatticeEvents.ConfigSet, new ConfigEvent { ConfigName = name });
                return CtlResponse.Ok("successfully put config");
            }

            case ["config", "get", var name]:
                lock (_gate)
                {
                    return _configs.TryGetValue(name, out var values)
                        ? CtlResponse<Dictionary<string, string>>.Ok(values)
                        : CtlResponse.Ok("Configuration not found");
                }

            case ["config", "del", var name]:
                lock (_gate) _configs.Remove(name);
                await PublishEventAsync(LatticeEvents.ConfigDeleted, new ConfigEvent { ConfigName = name });
                return CtlResponse.Ok("successfully deleted config");
            case ["claims", "get"]:
                return CtlResponse<List<Dictionary<string, string>>>.Ok([]);
            default:
                return CtlResponse.Error("unsupported subject");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _heartbeats?.Cancel();
        if (_disposed) return;
        _disposed = true;
        await _nats.DisposeAsync();
        await Task.WhenAll(_loops);
    }
}
