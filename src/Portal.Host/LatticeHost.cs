using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Host.Artifacts;
using Portal.Host.Components;
using Portal.Host.Configuration;
using Portal.Host.Control;
using Portal.Host.Engine;
using Portal.Host.Events;
using Portal.Host.Identity;
using Portal.Host.Providers;
using Portal.Host.Providers.KeyValue;
using Portal.Host.State;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Host;

/// <summary>
/// One wasmCloud 1.x compatible host in one lattice: identity, NATS connection, lattice store,
/// wasm engine, components, built-in providers, control interface, heartbeat. Start it, then stop
/// it gracefully (host_stopped) or abort it (as a crash: nothing more on the wire).
/// </summary>
public sealed class LatticeHost : IAsyncDisposable
{
    /// <summary>Log category of what components write through wasi:logging (filter it apart from the host's own log).</summary>
    public const string GuestLogCategory = "Portal.Host.Components.Log";

    private static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromMinutes(2) };

    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly HostIdentity _identity;
    private readonly Dictionary<string, string> _labels;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Stopwatch _uptime = new();
    private NatsConnection? _connection;
    private ControlInterface? _control;
    private CancellationTokenSource? _heartbeatStop;
    private Task? _heartbeat;
    private Task? _metrics;
    private State _state;

    private enum State { New, Running, Stopped }

    public LatticeHost(HostOptions options, ILoggerFactory? loggerFactory = null)
    {
        Options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Portal.Host");
        _identity = HostIdentity.Create(options.HostSeed);
        Subjects = new LatticeSubjects(options.Lattice, options.CtlTopicPrefix);
        _labels = HostLabels.Hostcore();
        foreach (var (k, v) in options.Labels)
        {
            if (!HostLabels.IsHostcore(k)) _labels[k] = v;
        }

        var engineOptions = new ActorEngineOptions { LoadTimeout = options.ComponentLoadTimeout };
        Engine = new ActorEngine(options.EngineWorkers is { } workers ? engineOptions with { Workers = workers } : engineOptions,
            _loggerFactory.CreateLogger<ActorEngine>(), _loggerFactory.CreateLogger(GuestLogCategory));
        Fetcher = new ImageFetcher(options, SharedHttp);
    }

    public HostOptions Options { get; }

    public string HostId => _identity.HostId;

    public string FriendlyName => _identity.FriendlyName;

    public LatticeSubjects Subjects { get; }

    public ActorEngine Engine { get; }

    public ImageFetcher Fetcher { get; }

    public LatticeStore Store { get; private set; } = null!;

    public EventPublisher Events { get; private set; } = null!;

    /// <summary>Publishes the engine's invocation counts (<see cref="InvocationMetricsEvent"/>).</summary>
    public InvocationMetricsPublisher Metrics { get; private set; } = null!;

    public ComponentManager Components { get; private set; } = null!;

    public ProviderManager Providers { get; private set; } = null!;

    /// <summary>Completes when the host has stopped (StopAsync, host.stop, or abort).</summary>
    public Task Stopped => _stopped.Task;

    public IReadOnlyDictionary<string, string> Labels
    {
        get
        {
            lock (_labels) return new Dictionary<string, string>(_labels);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_state != State.New) throw new InvalidOperationException("a host starts once");
            _uptime.Start();
            _connection = new NatsConnection(new NatsOpts
            {
                Url = Options.NatsUrl,
                Name = $"portal-host {HostId}",
                User = Options.NatsUser,
                Password = Options.NatsPassword,
                Token = Options.NatsToken,
            });
            await _connection.ConnectAsync(cancellationToken);
            await Engine.StartAsync(cancellationToken);
            Store = await LatticeStore.OpenAsync(_connection, Subjects, _loggerFactory.CreateLogger<LatticeStore>(), cancellationToken);
            Events = new EventPublisher(_connection, Subjects, HostId, _logger);
            Components = new ComponentManager(Engine, Fetcher, Store, Events, Options, HostId, _loggerFactory.CreateLogger<ComponentManager>());
            Providers = new ProviderManager(_connection, Store, Events, Engine, id => Components.IsRunning(id), Subjects.Lattice, HostId,
                Options.FirstHealthCheck, Options.HealthCheckInterval, _loggerFactory.CreateLogger<ProviderManager>());
            // Components' wasi:keyvalue calls: answered here for links to a key-value provider running on this host.
            Engine.HostCalls = new KeyValueHostCalls(_connection, Subjects, Store, Providers.Find, _loggerFactory.CreateLogger<KeyValueHostCalls>());
            _control = new ControlInterface(this, _connection, Subjects, _loggerFactory.CreateLogger<ControlInterface>());
            await _control.StartAsync(cancellationToken);

            // After subscriptions and the KV replay, as a 1.x host: from now on we answer.
            await Events.PublishAsync(LatticeEvents.HostStarted, new HostStartedEvent
            {
                FriendlyName = FriendlyName,
                Labels = new Dictionary<string, string>(Labels),
                UptimeSeconds = 0,
                Version = Uptime.Version,
            }, cancellationToken);
            _heartbeatStop = new CancellationTokenSource();
            _heartbeat = HeartbeatLoopAsync(_heartbeatStop.Token);
            Metrics = new InvocationMetricsPublisher(Events, Engine.Invocations, HostId, TimeProvider.System);
            _metrics = Metrics.RunAsync(Options.MetricsInterval, _heartbeatStop.Token);
            _state = State.Running;
            _logger.LogInformation("Host {HostId} ({Name}) joined lattice {Lattice} on {Nats}", HostId, FriendlyName, Subjects.Lattice, Options.NatsUrl);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Graceful stop: no more heartbeats or answers, providers and components stopped, then host_stopped.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => ShutdownAsync(graceful: true, cancellationToken);

    /// <summary>Stops as a crash would look from the lattice: the connection just goes, no host_stopped.</summary>
    public Task AbortAsync() => ShutdownAsync(graceful: false, CancellationToken.None);

    private async Task ShutdownAsync(bool graceful, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_state == State.Stopped) return;
            var wasRunning = _state == State.Running;
            _state = State.Stopped;
            if (_heartbeatStop is not null)
            {
                await _heartbeatStop.CancelAsync();
                if (_heartbeat is not null) await _heartbeat;
                if (_metrics is not null) await _metrics;
                _heartbeatStop.Dispose();
            }

            if (!graceful && _connection is not null) await _connection.DisposeAsync();
            if (_control is not null) await _control.DisposeAsync();
            if (Providers is not null) await Providers.DisposeAsync();
            if (Components is not null) await Components.StopAllAsync(cancellationToken);
            if (graceful && wasRunning)
            {
                // The last counts, so requests served since the previous report are not lost with the process.
                await Metrics.PublishAsync(cancellationToken);
                await Events.PublishAsync(LatticeEvents.HostStopped, new HostStoppedEvent { Labels = new Dictionary<string, string>(Labels) }, cancellationToken);
                await _connection!.FlushAsync(cancellationToken);
            }

            if (Store is not null) await Store.DisposeAsync();
            if (graceful && _connection is not null) await _connection.DisposeAsync();
            await Engine.DisposeAsync();
            _logger.LogInformation("Host {HostId} stopped", HostId);
        }
        finally
        {
            _stopped.TrySetResult();
            _lifecycle.Release();
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        // The first heartbeat is one interval after start; host_started was the immediate signal.
        using var timer = new PeriodicTimer(Options.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await Events.PublishAsync(LatticeEvents.HostHeartbeat, Inventory(), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public ulong UptimeSeconds => (ulong)_uptime.Elapsed.TotalSeconds;

    /// <summary>host.ping's answer.</summary>
    public HostInfo Info() => new()
    {
        Id = HostId,
        FriendlyName = FriendlyName,
        Labels = new Dictionary<string, string>(Labels),
        Lattice = Subjects.Lattice,
        RpcHost = Options.NatsUrl,
        CtlHost = Options.NatsUrl,
        UptimeHuman = Uptime.Human(UptimeSeconds),
        UptimeSeconds = UptimeSeconds,
        Version = Uptime.Version,
    };

    /// <summary>host.get's answer and every heartbeat's data.</summary>
    public HostInventory Inventory() => new()
    {
        Components = Components.Running.Select(c => new ComponentDescription
        {
            Id = c.Id,
            ImageRef = c.ImageRef,
            Annotations = new Dictionary<string, string>(c.Annotations),
            Name = c.Claims?.Name,
            Revision = c.Claims?.Revision ?? 0,
            MaxInstances = c.MaxInstances,
            Limits = c.Limits is null ? null : new Dictionary<string, string>(c.Limits),
        }).ToList(),
        Providers = Providers.Running.Select(p => new ProviderDescription
        {
            Id = p.Id,
            ImageRef = p.ImageRef,
            Revision = 0,
            Annotations = new Dictionary<string, string>(p.Annotations),
        }).ToList(),
        HostId = HostId,
        FriendlyName = FriendlyName,
        Labels = new Dictionary<string, string>(Labels),
        Version = Uptime.Version,
        UptimeHuman = Uptime.Human(UptimeSeconds),
        UptimeSeconds = UptimeSeconds,
    };

    /// <summary>True when every auction constraint equals one of our labels.</summary>
    public bool Satisfies(IReadOnlyDictionary<string, string> constraints)
    {
        lock (_labels) return constraints.All(c => _labels.TryGetValue(c.Key, out var v) && v == c.Value);
    }

    public async Task SetLabelAsync(string key, string value, CancellationToken cancellationToken)
    {
        lock (_labels) _labels[key] = value;
        await Events.PublishAsync(LatticeEvents.LabelsChanged, new LabelsChangedEvent { HostId = HostId, Labels = new Dictionary<string, string>(Labels) }, cancellationToken);
    }

    /// <summary>False when there was no such label (then no event, as a 1.x host).</summary>
    public async Task<bool> DeleteLabelAsync(string key, CancellationToken cancellationToken)
    {
        bool removed;
        lock (_labels) removed = _labels.Remove(key);
        if (!removed) return false;
        await Events.PublishAsync(LatticeEvents.LabelsChanged, new LabelsChangedEvent { HostId = HostId, Labels = new Dictionary<string, string>(Labels) }, cancellationToken);
        return true;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
