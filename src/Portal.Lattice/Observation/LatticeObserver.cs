using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Lattice.Observation;

/// <summary>
/// Keeps the observed state of one lattice in memory: subscribes to its events first (so nothing
/// is missed), seeds from host.ping + host.get per host + link.get, then applies events and
/// heartbeats, and reaps hosts that fall silent. Read <see cref="Snapshot"/> at any time; follow
/// changes with <see cref="Changed"/> or <see cref="WatchAsync"/>.
/// </summary>
public sealed class LatticeObserver : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly LatticeObserverOptions _options;
    private readonly LatticeClient _client;
    private readonly object _gate = new();
    private readonly Dictionary<string, HostState> _hosts = new(StringComparer.Ordinal);
    private readonly List<Link> _links = [];
    private readonly HashSet<string> _configs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Channel<LatticeChange>, byte> _watchers = new();
    private readonly CancellationTokenSource _stop = new();
    private NatsSubscription? _events;
    private Task? _eventLoop;
    private Task? _reaper;
    private long _version;
    private LatticeSnapshot _snapshot;

    public LatticeObserver(NatsConnection connection, LatticeObserverOptions? options = null)
    {
        _connection = connection;
        _options = options ?? new LatticeObserverOptions();
        _client = new LatticeClient(connection, new LatticeClientOptions
        {
            Lattice = _options.Lattice,
            TopicPrefix = _options.TopicPrefix,
            Timeout = _options.RequestTimeout,
            AuctionTimeout = _options.SeedWindow,
        });
        _snapshot = new LatticeSnapshot { Lattice = _options.Lattice, TakenAt = _options.Clock.GetUtcNow() };
    }

    public string Lattice => _options.Lattice;

    public LatticeSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Raised after each change, on the observer's loop: keep handlers short.</summary>
    public event EventHandler<LatticeChange>? Changed;

    /// <summary>Subscribes, seeds and starts following. Returns once the seeded snapshot is in place.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_events is not null) throw new InvalidOperationException("already started");
        _events = await _connection.SubscribeAsync(_client.Subjects.AllEvents, cancellationToken: cancellationToken);
        await SeedAsync(cancellationToken);
        _connection.ConnectionStateChanged += OnConnectionStateChanged;
        _eventLoop = Task.Run(EventLoopAsync, CancellationToken.None);
        _reaper = Task.Run(ReapLoopAsync, CancellationToken.None);
    }

    /// <summary>Every change from now on, until <paramref name="cancellationToken"/> or disposal.</summary>
    public async IAsyncEnumerable<LatticeChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<LatticeChange>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _watchers[channel] = 0;
        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken)) yield return change;
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }

    // ------------------------------------------------------------------ seeding

    /// <summary>Events published while we were disconnected are lost: ask the hosts again.</summary>
    private void OnConnectionStateChanged(object? sender, NatsConnectionStateChangedEventArgs e)
    {
        if (e.Previous != NatsConnectionState.Reconnecting || e.Current != NatsConnectionState.Open || _stop.IsCancellationRequested) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await SeedAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is NatsException or OperationCanceledException or ObjectDisposedException)
            {
                // The next heartbeats fill the picture in anyway.
            }
        });
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var hosts = await _client.PingHostsAsync(cancellationToken);
        var inventories = await Task.WhenAll(hosts.Select(async h =>
        {
            try
            {
                var reply = await _client.GetHostInventoryAsync(h.Id, cancellationToken);
                return (h, reply.Success ? reply.Response : null);
            }
            catch (NatsException)
            {
                return (h, (HostInventory?)null);
            }
        }));

        List<Link>? links = null;
        if (hosts.Count > 0)
        {
            try
            {
                var reply = await _client.GetLinksAsync(cancellationToken);
                if (reply.Success) links = reply.Response;
            }
            catch (NatsException)
            {
                // Links arrive later through linkdef_set events or the next seed.
            }
        }

        var now = _options.Clock.GetUtcNow();
        lock (_gate)
        {
            foreach (var (info, inventory) in inventories)
            {
                var host = GetOrAddHost(info.Id, now);
                host.FriendlyName = info.FriendlyName;
                host.Labels = new Dictionary<string, string>(info.Labels);
                host.Version = info.Version;
                host.UptimeSeconds = info.UptimeSeconds;
                host.UptimeHuman = info.UptimeHuman;
                if (inventory is not null) host.Apply(inventory);
            }

            if (links is not null)
            {
                _links.Clear();
                _links.AddRange(links);
            }

            Publish(new LatticeChange(LatticeChangeKind.Seeded, NewSnapshot(now)));
        }
    }

    // ------------------------------------------------------------------ events

    private async Task EventLoopAsync()
    {
        try
        {
            await foreach (var msg in _events!.WithCancellation(_stop.Token))
            {
                try
                {
                    Apply(msg);
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
                {
                    // A malformed event from one host must not stop observation of the lattice.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Apply(in NatsMsg msg)
    {
        var evt = LatticeEvents.Parse(msg.Data.Span);
        var name = LatticeEvents.NameOf(evt.Type) ?? msg.Subject[(msg.Subject.LastIndexOf('.') + 1)..];
        var hostId = evt.Source;
        var now = _options.Clock.GetUtcNow();
        lock (_gate)
        {
            var change = ApplyLocked(name, hostId, evt.Data, now);
            if (change is null) return;
            Publish(change with { Snapshot = NewSnapshot(now), EventName = name });
        }
    }

    private LatticeChange? ApplyLocked(string name, string hostId, JsonElement data, DateTimeOffset now)
    {
        var placeholder = _snapshot;
        switch (name)
        {
            case LatticeEvents.HostStarted:
            {
                var started = Read<HostStartedEvent>(data);
                var isNew = !_hosts.ContainsKey(hostId);
                var host = GetOrAddHost(hostId, now);
                host.FriendlyName = started.FriendlyName;
                host.Labels = new Dictionary<string, string>(started.Labels);
                host.Version = started.Version;
                host.UptimeSeconds = started.UptimeSeconds;
                host.Components.Clear();
                host.Providers.Clear();
                return new LatticeChange(isNew ? LatticeChangeKind.HostAdded : LatticeChangeKind.HostUpdated, placeholder, hostId);
            }

            case LatticeEvents.HostHeartbeat:
            {
                var inventory = Read<HostInventory>(data);
                var isNew = !_hosts.ContainsKey(hostId);
                var host = GetOrAddHost(hostId, now);
                host.FriendlyName = inventory.FriendlyName;
                host.Labels = new Dictionary<string, string>(inventory.Labels);
                host.Version = inventory.Version;
                host.UptimeSeconds = inventory.UptimeSeconds;
                host.UptimeHuman = inventory.UptimeHuman;
                host.LastHeartbeat = now;
                host.Apply(inventory);
                return new LatticeChange(isNew ? LatticeChangeKind.HostAdded : LatticeChangeKind.HostUpdated, placeholder, hostId);
            }

            case LatticeEvents.HostStopped:
                return _hosts.Remove(hostId) ? new LatticeChange(LatticeChangeKind.HostRemoved, placeholder, hostId, Message: "host stopped") : null;

            case LatticeEvents.LabelsChanged:
                GetOrAddHost(hostId, now).Labels = new Dictionary<string, string>(Read<LabelsChangedEvent>(data).Labels);
                return new LatticeChange(LatticeChangeKind.HostUpdated, placeholder, hostId);

            case LatticeEvents.ComponentScaled:
            {
                var scaled = Read<ComponentScaledEvent>(data);
                var host = GetOrAddHost(hostId, now);
                if (scaled.MaxInstances == 0) host.Components.Remove(scaled.ComponentId);
                else
                {
                    host.Components.TryGetValue(scaled.ComponentId, out var previous);
                    host.Components[scaled.ComponentId] = new ObservedComponent(
                        scaled.ComponentId, scaled.ImageRef, scaled.MaxInstances, previous?.Name, scaled.Annotations ?? new Dictionary<string, string>());
                }

                return new LatticeChange(LatticeChangeKind.ComponentsChanged, placeholder, hostId, scaled.ComponentId);
            }

            case LatticeEvents.ProviderStarted:
            {
                var started = Read<ProviderStartedEvent>(data);
                GetOrAddHost(hostId, now).Providers[started.ProviderId] = new ObservedProvider(
                    started.ProviderId, started.ImageRef, null, started.Annotations ?? new Dictionary<string, string>(), ProviderHealth.Unknown);
                return new LatticeChange(LatticeChangeKind.ProvidersChanged, placeholder, hostId, started.ProviderId);
            }

            case LatticeEvents.ProviderStopped:
            {
                var stopped = Read<ProviderStoppedEvent>(data);
                GetOrAddHost(hostId, now).Providers.Remove(stopped.ProviderId);
                return new LatticeChange(LatticeChangeKind.ProvidersChanged, placeholder, hostId, stopped.ProviderId);
            }

            case LatticeEvents.HealthCheckPassed or LatticeEvents.HealthCheckFailed or LatticeEvents.HealthCheckStatus:
            {
                var check = Read<HealthCheckEvent>(data);
                var host = GetOrAddHost(hostId, now);
                if (!host.Providers.TryGetValue(check.ProviderId, out var provider)) return null;
                var health = name switch
                {
                    LatticeEvents.HealthCheckPassed => ProviderHealth.Healthy,
                    LatticeEvents.HealthCheckFailed => ProviderHealth.Unhealthy,
                    _ => provider.Health,
                };
                if (health == provider.Health) return null;
                host.Providers[check.ProviderId] = provider with { Health = health };
                return new LatticeChange(LatticeChangeKind.ProvidersChanged, placeholder, hostId, check.ProviderId);
            }

            case LatticeEvents.LinkdefSet:
            {
                var link = Read<Link>(data);
                _links.RemoveAll(l => SameLink(l, link.SourceId, link.WitNamespace, link.WitPackage, link.Name));
                _links.Add(link);
                Touch(hostId, now);
                return new LatticeChange(LatticeChangeKind.LinksChanged, placeholder, hostId, link.SourceId);
            }

            case LatticeEvents.LinkdefDeleted:
            {
                var deleted = Read<LinkdefDeletedEvent>(data);
                var removed = _links.RemoveAll(l => SameLink(l, deleted.SourceId, deleted.WitNamespace, deleted.WitPackage, deleted.Name));
                Touch(hostId, now);
                return removed > 0 ? new LatticeChange(LatticeChangeKind.LinksChanged, placeholder, hostId, deleted.SourceId) : null;
            }

            case LatticeEvents.ConfigSet:
                _configs.Add(Read<ConfigEvent>(data).ConfigName);
                Touch(hostId, now);
                return new LatticeChange(LatticeChangeKind.ConfigsChanged, placeholder, hostId, Read<ConfigEvent>(data).ConfigName);

            case LatticeEvents.ConfigDeleted:
                _configs.Remove(Read<ConfigEvent>(data).ConfigName);
                Touch(hostId, now);
                return new LatticeChange(LatticeChangeKind.ConfigsChanged, placeholder, hostId, Read<ConfigEvent>(data).ConfigName);

            case LatticeEvents.ComponentScaleFailed:
            {
                var failed = Read<ComponentScaleFailedEvent>(data);
                Touch(hostId, now);
                return new LatticeChange(LatticeChangeKind.Failure, placeholder, hostId, failed.ComponentId, Message: failed.Error);
            }

            case LatticeEvents.ProviderStartFailed:
            {
                var failed = Read<ProviderStartFailedEvent>(data);
                Touch(hostId, now);
                return new LatticeChange(LatticeChangeKind.Failure, placeholder, hostId, failed.ProviderId, Message: failed.Error);
            }

            case LatticeEvents.LinkdefSetFailed:
            {
                var failed = Read<LinkdefSetFailedEvent>(data);
                Touch(hostId, now);
                return new LatticeChange(LatticeChangeKind.Failure, placeholder, hostId, failed.SourceId, Message: failed.Error);
            }

            default:
                return null;
        }
    }

    private static bool SameLink(Link link, string sourceId, string witNamespace, string witPackage, string name) =>
        link.SourceId == sourceId && link.WitNamespace == witNamespace && link.WitPackage == witPackage && link.Name == name;

    private static T Read<T>(JsonElement data) =>
        data.Deserialize<T>(LatticeJson.Options) ?? throw new JsonException($"event data is not a {typeof(T).Name}");

    // ------------------------------------------------------------------ reaping

    private async Task ReapLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.ReapInterval, _options.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) Reap();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Drops every host silent for longer than the reap window; also called by the loop.</summary>
    public void Reap()
    {
        var now = _options.Clock.GetUtcNow();
        lock (_gate)
        {
            var dead = _hosts.Values.Where(h => now - h.LastSeen > _options.ReapAfter).Select(h => h.HostId).ToList();
            foreach (var hostId in dead)
            {
                _hosts.Remove(hostId);
                Publish(new LatticeChange(LatticeChangeKind.HostRemoved, NewSnapshot(now), hostId, Message: "no heartbeat within the reap window"));
            }
        }
    }

    // ------------------------------------------------------------------ state plumbing

    private HostState GetOrAddHost(string hostId, DateTimeOffset now)
    {
        if (!_hosts.TryGetValue(hostId, out var host)) _hosts[hostId] = host = new HostState(hostId);
        host.LastSeen = now;
        return host;
    }

    private void Touch(string hostId, DateTimeOffset now)
    {
        if (_hosts.TryGetValue(hostId, out var host)) host.LastSeen = now;
    }

    private LatticeSnapshot NewSnapshot(DateTimeOffset now)
    {
        var snapshot = new LatticeSnapshot
        {
            Lattice = _options.Lattice,
            Version = ++_version,
            TakenAt = now,
            Hosts = _hosts.Values.ToDictionary(h => h.HostId, h => h.ToObserved()),
            Links = _links.ToArray(),
            ConfigNames = new HashSet<string>(_configs),
        };
        Volatile.Write(ref _snapshot, snapshot);
        return snapshot;
    }

    private void Publish(LatticeChange change)
    {
        foreach (var watcher in _watchers.Keys) watcher.Writer.TryWrite(change);
        try
        {
            Changed?.Invoke(this, change);
        }
        catch
        {
            // A faulty listener must not stop observation.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _connection.ConnectionStateChanged -= OnConnectionStateChanged;
        _stop.Cancel();
        if (_events is not null) await _events.DisposeAsync();
        if (_eventLoop is not null) await _eventLoop;
        if (_reaper is not null) await _reaper;
        foreach (var watcher in _watchers.Keys) watcher.Writer.TryComplete();
        _stop.Dispose();
    }

    private sealed class HostState(string hostId)
    {
        public string HostId { get; } = hostId;

        public string FriendlyName { get; set; } = "";

        public Dictionary<string, string> Labels { get; set; } = [];

        public string? Version { get; set; }

        public ulong UptimeSeconds { get; set; }

        public string? UptimeHuman { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        public DateTimeOffset? LastHeartbeat { get; set; }

        public Dictionary<string, ObservedComponent> Components { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ObservedProvider> Providers { get; } = new(StringComparer.Ordinal);

        /// <summary>An inventory is the whole truth about what runs on the host: replace, but keep known provider health.</summary>
        public void Apply(HostInventory inventory)
        {
            Components.Clear();
            foreach (var c in inventory.Components)
                Components[c.Id] = new ObservedComponent(c.Id, c.ImageRef, c.MaxInstances, c.Name, c.Annotations ?? new Dictionary<string, string>());

            var health = Providers.ToDictionary(p => p.Key, p => p.Value.Health);
            Providers.Clear();
            foreach (var p in inventory.Providers)
                Providers[p.Id] = new ObservedProvider(p.Id, p.ImageRef, p.Name, p.Annotations ?? new Dictionary<string, string>(), health.GetValueOrDefault(p.Id));
        }

        public ObservedHost ToObserved() => new()
        {
            HostId = HostId,
            FriendlyName = FriendlyName,
            Labels = new Dictionary<string, string>(Labels),
            Version = Version,
            UptimeSeconds = UptimeSeconds,
            UptimeHuman = UptimeHuman,
            LastSeen = LastSeen,
            LastHeartbeat = LastHeartbeat,
            Components = new Dictionary<string, ObservedComponent>(Components),
            Providers = new Dictionary<string, ObservedProvider>(Providers),
        };
    }
}
