using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Host.Engine.Protocol;
using Portal.Host.Engine.Sidecar;

namespace Portal.Host.Engine;

/// <summary>
/// Runs actors for real in V8 through a Node.js sidecar that this engine owns: starts it, restarts
/// it when it dies (loading every component again), and turns actor failures into 500 answers plus
/// an <see cref="Event"/> carrying the component id. Thread-safe; one instance per host.
/// </summary>
public sealed class ActorEngine : IAsyncDisposable
{
    private readonly ActorEngineOptions _options;
    private readonly ILogger _logger;
    private readonly ILogger _guestLogger;
    private readonly ConcurrentDictionary<string, LoadedActor> _actors = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private TaskCompletionSource<SidecarConnection> _ready = NewReady();
    private SidecarConnection? _current;
    private Task? _supervisor;
    private int _starts;

    /// <param name="guestLogger">Where the guests' wasi:logging goes (its own category, so operators can filter it); the engine's logger when null.</param>
    public ActorEngine(ActorEngineOptions? options = null, ILogger<ActorEngine>? logger = null, ILogger? guestLogger = null)
    {
        _options = options ?? new ActorEngineOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _guestLogger = guestLogger ?? _logger;
    }

    /// <summary>Implements the imports the host provides to guests (wasi:keyvalue); without it such calls fail with an error.</summary>
    public IHostCallHandler? HostCalls { get; set; }

    /// <summary>Requests run per component since start, by outcome (published as invocation metrics by the host).</summary>
    public InvocationCounter Invocations { get; } = new();

    /// <summary>Traps, timeouts, memory-cap failures, guest output and sidecar restarts.</summary>
    public event EventHandler<ActorEngineEvent>? Event;

    /// <summary>Process id of the running sidecar, or null while it is (re)starting.</summary>
    public int? SidecarProcessId => _current is { Exited.IsCompleted: false } c ? c.ProcessId : null;

    /// <summary>How many times a sidecar was started (1 after the first start).</summary>
    public int SidecarStarts => Volatile.Read(ref _starts);

    /// <summary>Starts the sidecar (if not yet) and waits until it serves.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default) => await ReadyAsync(cancellationToken);

    public bool IsLoaded(string componentId) => _actors.ContainsKey(componentId);

    /// <summary>Executions of the component running right now / at most at once so far.</summary>
    public (int Now, int Peak) Executions(string componentId) =>
        _actors.TryGetValue(componentId, out var a) ? (a.Executing, a.PeakExecuting) : (0, 0);

    /// <summary>
    /// Loads (or replaces) a component: compiled once per digest in the sidecar, components
    /// transpiled by jco once per digest into the cache directory. Returns the sha256 digest.
    /// Throws <see cref="ActorLoadException"/> when the wasm is refused (invalid, over the memory cap).
    /// </summary>
    public async Task<string> LoadAsync(
        string componentId,
        ReadOnlyMemory<byte> wasm,
        ActorKind kind,
        ActorLimits? limits = null,
        IReadOnlyDictionary<string, string>? config = null,
        CancellationToken cancellationToken = default)
    {
        limits ??= new ActorLimits();
        if (limits.MaxInstances < 1) throw new ArgumentOutOfRangeException(nameof(limits), "MaxInstances must be at least 1.");
        var actor = new LoadedActor(componentId, kind, wasm.ToArray(), limits, config?.ToList() ?? []);
        var connection = await ReadyAsync(cancellationToken);
        actor.Digest = await SendLoadAsync(connection, actor, cancellationToken);
        _actors[componentId] = actor;
        return actor.Digest;
    }

    public async Task UnloadAsync(string componentId, CancellationToken cancellationToken = default)
    {
        if (!_actors.TryRemove(componentId, out _)) return;
        var connection = await ReadyAsync(cancellationToken);
        try
        {
            await connection.SendAsync(FrameType.Unload, w => w.String(componentId), 64, cancellationToken);
        }
        catch (SidecarExitedException)
        {
            // A restarted sidecar only loads what is still in the table.
        }
    }

    /// <summary>
    /// One HTTP request through the component. Waits for a max_instances slot (queueing), then
    /// for the sidecar. Never throws for actor failures: those answer 500 with <see cref="HttpActorResponse.Failure"/> set.
    /// </summary>
    public async Task<HttpActorResponse> InvokeHttpAsync(string componentId, HttpActorRequest request, CancellationToken cancellationToken = default)
    {
        if (!_actors.TryGetValue(componentId, out var actor))
        {
            return Failed(503, ActorFailure.NotLoaded, $"component {componentId} is not running on this host");
        }

        await actor.Slots.WaitAsync(cancellationToken);
        actor.Enter();
        try
        {
            var connection = await ReadyAsync(cancellationToken);
            var frame = await connection.SendAsync(FrameType.Invoke, w =>
            {
                w.String(componentId).String(request.Method).String(request.PathAndQuery);
                w.Pairs(request.Headers as IReadOnlyCollection<KeyValuePair<string, string>> ?? request.Headers.ToList());
                w.Bytes(request.Body.Span);
            }, 256 + request.Body.Length, cancellationToken);
            var response = ToResponse(componentId, frame);
            // Counted once the request ran: an actor's own 4xx/5xx is ok, a failure in the engine is an error.
            Invocations.Record(componentId, response.Failure is null);
            return response;
        }
        catch (SidecarExitedException e)
        {
            Invocations.Record(componentId, ok: false);
            return Failed(500, ActorFailure.SidecarUnavailable, e.Message);
        }
        finally
        {
            actor.Leave();
            actor.Slots.Release();
        }
    }

    /// <summary>One round trip to the sidecar and back (the hop every request pays); returns its worker count.</summary>
    public async Task<int> PingAsync(CancellationToken cancellationToken = default)
    {
        var connection = await ReadyAsync(cancellationToken);
        var frame = await connection.SendAsync(FrameType.Ping, _ => { }, 0, cancellationToken);
        return (int)frame.Fields().U32();
    }

    /// <summary>
    /// Diagnostics for benchmark S2: runs <paramref name="iterations"/> operations of <paramref name="mode"/>
    /// on a loaded CGI module inside one sidecar worker and returns nanoseconds per operation measured there.
    /// </summary>
    public async Task<double> ProbeAsync(string componentId, ProbeMode mode, int iterations, CancellationToken cancellationToken = default)
    {
        var connection = await ReadyAsync(cancellationToken);
        var frame = await connection.SendAsync(FrameType.Probe, w => w.String(componentId).U32((uint)mode).U32((uint)iterations), 64, cancellationToken);
        var fields = frame.Fields();
        if (frame.Type != FrameType.Probed)
        {
            fields.U32();
            throw new InvalidOperationException($"probe failed: {fields.String()}");
        }

        var nanos = ((ulong)fields.U32() << 32) | fields.U32();
        return (double)nanos / Math.Max(1, iterations);
    }

    private static HttpActorResponse ToResponse(string componentId, Frame frame)
    {
        var fields = frame.Fields();
        switch (frame.Type)
        {
            case FrameType.Response:
                var status = (int)fields.U32();
                var headers = fields.Pairs();
                return new HttpActorResponse(status, headers, fields.Bytes());
            case FrameType.Failed:
                var code = (FailureCode)fields.U32();
                var message = fields.String();
                var failure = code switch
                {
                    FailureCode.Trap => ActorFailure.Trap,
                    FailureCode.Timeout => ActorFailure.Timeout,
                    FailureCode.MemoryLimit => ActorFailure.MemoryLimit,
                    FailureCode.NotLoaded => ActorFailure.NotLoaded,
                    FailureCode.BadResponse => ActorFailure.BadResponse,
                    _ => ActorFailure.Internal,
                };
                return Failed(failure == ActorFailure.NotLoaded ? 503 : 500, failure, $"{componentId}: {message}");
            default:
                return Failed(500, ActorFailure.Internal, $"unexpected frame {frame.Type}");
        }
    }

    private static HttpActorResponse Failed(int status, ActorFailure failure, string message) =>
        new(status, [new("Content-Type", "text/plain; charset=utf-8")], Encoding.UTF8.GetBytes($"actor failed ({failure}): {message}\n"), failure);

    private async Task<string> SendLoadAsync(SidecarConnection connection, LoadedActor actor, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.LoadTimeout);
        var frame = await connection.SendAsync(FrameType.Load, w =>
        {
            w.String(actor.ComponentId).U32((uint)actor.Kind);
            w.U32((uint)Math.Min(actor.Limits.MemoryBytes, uint.MaxValue - 65535L));
            w.U32((uint)Math.Clamp(actor.Limits.Timeout.TotalMilliseconds, 1, int.MaxValue));
            w.U32(actor.Limits.ConfigAsEnvironment ? 1u : 0u);
            w.Pairs(actor.Config as IReadOnlyCollection<KeyValuePair<string, string>> ?? actor.Config.ToList());
            w.Bytes(actor.Wasm.Span);
        }, 256 + actor.Wasm.Length, timeout.Token);
        var fields = frame.Fields();
        if (frame.Type == FrameType.Loaded) return fields.String();
        fields.U32();
        throw new ActorLoadException(actor.ComponentId, fields.String());
    }

    // ------------------------------------------------------------ supervision

    private static TaskCompletionSource<SidecarConnection> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task<SidecarConnection> ReadyAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _supervisor ??= Task.Run(SuperviseAsync);
            return _ready.Task.WaitAsync(cancellationToken);
        }
    }

    private async Task SuperviseAsync()
    {
        var delay = _options.RestartDelay;
        while (!_stopping.IsCancellationRequested)
        {
            var started = DateTimeOffset.UtcNow;
            SidecarConnection? connection = null;
            try
            {
                var directory = SidecarLocator.Find(_options.SidecarDirectory);
                connection = SidecarConnection.Start(_options, directory, OnSidecarEvent, OnHostCall, line => _logger.LogInformation("sidecar: {Line}", line));
                _current = connection;
                Interlocked.Increment(ref _starts);
                await connection.Ready.WaitAsync(TimeSpan.FromSeconds(30), _stopping.Token);
                foreach (var actor in _actors.Values.ToList())
                {
                    try
                    {
                        await SendLoadAsync(connection, actor, _stopping.Token);
                    }
                    catch (Exception e) when (e is ActorLoadException or SidecarExitedException)
                    {
                        Raise(ActorEventKind.Warning, actor.ComponentId, $"reload after sidecar restart failed: {e.Message}");
                    }
                }

                Raise(ActorEventKind.SidecarStarted, "", $"sidecar pid {connection.ProcessId} serving");
                lock (_gate) _ready.TrySetResult(connection);
                await connection.Exited.WaitAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Actor sidecar failed to start");
                // Whoever waits for this start learns why (node missing, sidecar not found, ...)
                // instead of waiting forever; the next attempt gets a fresh promise.
                lock (_gate)
                {
                    var failed = _ready;
                    _ready = NewReady();
                    failed.TrySetException(new SidecarExitedException($"The sidecar failed to start: {e.Message}"));
                }
            }
            finally
            {
                if (connection is not null) await connection.DisposeAsync();
            }

            if (_stopping.IsCancellationRequested) break;
            lock (_gate)
            {
                if (_ready.Task.IsCompleted) _ready = NewReady();
            }

            Raise(ActorEventKind.SidecarExited, "", "sidecar exited; restarting");
            // A sidecar that lived a while gets restarted at once; a crash loop backs off.
            delay = DateTimeOffset.UtcNow - started > TimeSpan.FromSeconds(10) ? _options.RestartDelay : delay;
            try
            {
                await Task.Delay(delay, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRestartDelay.Ticks));
        }
    }

    private void OnHostCall(SidecarConnection connection, Frame frame) => _ = AnswerHostCallAsync(connection, frame);

    private async Task AnswerHostCallAsync(SidecarConnection connection, Frame frame)
    {
        HostCallResult result;
        try
        {
            var fields = frame.Fields();
            var (componentId, iface, function) = (fields.String(), fields.String(), fields.String());
            var arguments = new ReadOnlyMemory<byte>[fields.U32()];
            for (var i = 0; i < arguments.Length; i++) arguments[i] = fields.Bytes();
            var call = new HostCall(componentId, iface, function, arguments);
            // The sidecar stops a guest at its own deadline; this bound only keeps a stuck call from living forever.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.HostCallTimeout);
            result = HostCalls is { } handler
                ? await handler.CallAsync(call, timeout.Token).ConfigureAwait(false)
                : HostCallResult.Error("other", $"{iface} is not provided by this host");
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Host call from the sidecar failed");
            result = HostCallResult.Error("other", e.Message);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var answer = new FrameWriter(FrameType.HostReturn, frame.RequestId, 64 + result.Values.Sum(v => 4 + v.Length));
        if (result.ErrorTag is null)
        {
            answer.U32(0).U32((uint)result.Values.Count);
            foreach (var value in result.Values) answer.Bytes(value.Span);
        }
        else
        {
            answer.U32(1).String(result.ErrorTag).String(result.ErrorMessage);
        }

        connection.Post(answer);
    }

    private void OnSidecarEvent(Frame frame)
    {
        var fields = frame.Fields();
        if (frame.Type == FrameType.GuestLog)
        {
            OnGuestLog(fields.String(), fields.String(), fields.String(), fields.String());
            return;
        }

        var level = fields.String();
        var componentId = fields.String();
        var text = fields.String();
        var kind = level switch
        {
            "trap" => ActorEventKind.Trap,
            "timeout" => ActorEventKind.Timeout,
            "memory" => ActorEventKind.MemoryLimit,
            "warn" => ActorEventKind.Warning,
            _ => ActorEventKind.GuestOutput,
        };
        Raise(kind, componentId, text);
    }

    // wasi:logging levels to ours; an unknown level (a newer WIT) still gets logged.
    private void OnGuestLog(string componentId, string level, string context, string message)
    {
        var logLevel = level switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            _ => LogLevel.Information,
        };
        _guestLogger.Log(logLevel, "component {ComponentId} [{Context}] {Message}", componentId, context, message);
        Publish(new ActorEngineEvent(ActorEventKind.GuestLog, componentId, message, DateTimeOffset.UtcNow) { GuestLevel = logLevel, Context = context });
    }

    private void Raise(ActorEventKind kind, string componentId, string message)
    {
        var level = kind switch
        {
            ActorEventKind.Trap or ActorEventKind.Timeout or ActorEventKind.MemoryLimit or ActorEventKind.Warning or ActorEventKind.SidecarExited => LogLevel.Warning,
            ActorEventKind.GuestOutput => LogLevel.Debug,
            _ => LogLevel.Information,
        };
        _logger.Log(level, "actor {Kind} component={ComponentId}: {Message}", kind, componentId, message);
        Publish(new ActorEngineEvent(kind, componentId, message, DateTimeOffset.UtcNow));
    }

    private void Publish(ActorEngineEvent engineEvent)
    {
        try
        {
            Event?.Invoke(this, engineEvent);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "An actor event handler threw");
        }
    }

    /// <summary>Test and operations hook: kills the running sidecar as a crash would.</summary>
    public void KillSidecar() => _current?.Kill();

    public async ValueTask DisposeAsync()
    {
        Task? supervisor;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested) return;
            _stopping.Cancel();
            supervisor = _supervisor;
            _ready.TrySetCanceled();
        }

        if (supervisor is not null) await supervisor.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
