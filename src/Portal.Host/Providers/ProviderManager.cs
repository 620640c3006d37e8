using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Portal.Host.Engine;
using Portal.Host.Events;
using Portal.Host.State;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;

namespace Portal.Host.Providers;

/// <summary>
/// provider.start / provider.stop for the built-in providers, their health subjects
/// (<c>wasmbus.rpc.{lattice}.{provider_id}.health</c>) and the host's health checks of them
/// (first after 5 s, then every 30 s: passed/failed on a change, status otherwise, protocol 2.3).
/// Every change of links or config re-applies them to the running providers.
/// </summary>
public sealed class ProviderManager : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly LatticeStore _store;
    private readonly EventPublisher _events;
    private readonly ActorEngine _engine;
    private readonly Func<string, bool> _isComponentRunning;
    private readonly string _lattice;
    private readonly string _hostId;
    private readonly TimeSpan _firstCheck;
    private readonly TimeSpan _checkInterval;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RunningProvider> _running = new(StringComparer.Ordinal);
    private readonly Channel<bool> _reconcile = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reconciler;

    public ProviderManager(NatsConnection connection, LatticeStore store, EventPublisher events, ActorEngine engine, Func<string, bool> isComponentRunning,
        string lattice, string hostId, TimeSpan firstCheck, TimeSpan checkInterval, ILogger logger)
    {
        _connection = connection;
        _store = store;
        _events = events;
        _engine = engine;
        _isComponentRunning = isComponentRunning;
        _lattice = lattice;
        _hostId = hostId;
        _firstCheck = firstCheck;
        _checkInterval = checkInterval;
        _logger = logger;
        _store.Changed += RequestReconcile;
        _reconciler = ReconcileLoopAsync();
    }

    public IReadOnlyCollection<RunningProvider> Running => _running.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();

    public bool IsRunning(string id) => _running.ContainsKey(id);

    public IBuiltinProvider? Find(string id) => _running.TryGetValue(id, out var p) ? p.Instance : null;

    public string HealthSubject(string providerId) => $"wasmbus.rpc.{_lattice}.{providerId}.health";

    /// <summary>Starts a provider after provider.start was acknowledged; failures become provider_start_failed.</summary>
    public async Task StartAsync(StartProviderCommand command, CancellationToken cancellationToken)
    {
        var hostId = string.IsNullOrEmpty(command.HostId) ? _hostId : command.HostId;
        var instance = ProviderCatalog.Create(command.ProviderId, command.ProviderRef, _engine, _isComponentRunning, _logger);
        if (instance is null)
        {
            await StartFailedAsync(command, hostId, $"provider reference {command.ProviderRef} is not supported by this host (built in: {ProviderCatalog.Supported})", cancellationToken);
            return;
        }

        var provider = new RunningProvider(command.ProviderId, command.ProviderRef, command.Annotations ?? [], instance);
        if (!_running.TryAdd(command.ProviderId, provider))
        {
            await instance.DisposeAsync();
            return;
        }

        try
        {
            provider.HealthSubscription = await _connection.SubscribeAsync(HealthSubject(provider.Id), cancellationToken: cancellationToken);
            _ = AnswerHealthAsync(provider);
            await _store.SetUrlAsync(provider.Id, provider.ImageRef, cancellationToken);
            await provider.Instance.ReconcileAsync(_store, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _running.TryRemove(provider.Id, out _);
            await DisposeProviderAsync(provider);
            await StartFailedAsync(command, hostId, e.Message, cancellationToken);
            return;
        }

        _logger.LogInformation("Provider {Provider} started ({Ref})", provider.Id, provider.ImageRef);
        await _events.PublishAsync(LatticeEvents.ProviderStarted, new ProviderStartedEvent
        {
            HostId = hostId,
            ImageRef = provider.ImageRef,
            ProviderId = provider.Id,
            Annotations = provider.Annotations,
        }, cancellationToken);
        _ = HealthCheckLoopAsync(provider);
    }

    private Task StartFailedAsync(StartProviderCommand command, string hostId, string error, CancellationToken cancellationToken)
    {
        _logger.LogWarning("Provider {Provider} did not start: {Error}", command.ProviderId, error);
        return _events.PublishAsync(LatticeEvents.ProviderStartFailed, new ProviderStartFailedEvent
        {
            ProviderRef = command.ProviderRef,
            ProviderId = command.ProviderId,
            HostId = hostId,
            Error = error,
        }, cancellationToken);
    }

    /// <summary>Stops a running provider and publishes provider_stopped; false when it was not running.</summary>
    public async Task<bool> StopAsync(StopProviderCommand command, CancellationToken cancellationToken)
    {
        if (!_running.TryRemove(command.ProviderId, out var provider)) return false;
        await DisposeProviderAsync(provider);
        _logger.LogInformation("Provider {Provider} stopped", provider.Id);
        await _events.PublishAsync(LatticeEvents.ProviderStopped, new ProviderStoppedEvent
        {
            HostId = string.IsNullOrEmpty(command.HostId) ? _hostId : command.HostId,
            ProviderId = provider.Id,
            Annotations = provider.Annotations,
            Reason = "stop",
        }, cancellationToken);
        return true;
    }

    private static async Task DisposeProviderAsync(RunningProvider provider)
    {
        await provider.Stop.CancelAsync();
        if (provider.HealthSubscription is { } subscription) await subscription.DisposeAsync();
        await provider.Instance.DisposeAsync();
    }

    private async Task AnswerHealthAsync(RunningProvider provider)
    {
        try
        {
            await foreach (var msg in provider.HealthSubscription!)
            {
                if (msg.ReplyTo is null) continue;
                var (healthy, message) = provider.Instance.Health;
                await msg.ReplyAsync(LatticeJson.Serialize(new HealthCheckResponse { Healthy = healthy, Message = message }));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or NatsException)
        {
            // Unsubscribed or the connection closed: the provider is going away.
        }
    }

    private async Task HealthCheckLoopAsync(RunningProvider provider)
    {
        var token = provider.Stop.Token;
        try
        {
            await Task.Delay(_firstCheck, token);
            while (!token.IsCancellationRequested)
            {
                await CheckHealthAsync(provider, token);
                await Task.Delay(_checkInterval, token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CheckHealthAsync(RunningProvider provider, CancellationToken cancellationToken)
    {
        HealthCheckResponse? answer;
        try
        {
            var reply = await _connection.RequestAsync(HealthSubject(provider.Id), timeout: TimeSpan.FromSeconds(2), cancellationToken: cancellationToken);
            answer = LatticeJson.Deserialize<HealthCheckResponse>(reply.Data.Span);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // No answer: only a log line, no event (as a 1.x host).
            _logger.LogWarning("Health check of provider {Provider} got no answer: {Error}", provider.Id, e.Message);
            return;
        }

        var healthy = answer?.Healthy ?? false;
        var name = provider.LastHealthy == healthy ? LatticeEvents.HealthCheckStatus
            : healthy ? LatticeEvents.HealthCheckPassed : LatticeEvents.HealthCheckFailed;
        provider.LastHealthy = healthy;
        await _events.PublishAsync(name, new HealthCheckEvent { HostId = _hostId, ProviderId = provider.Id }, cancellationToken);
    }

    private void RequestReconcile() => _reconcile.Writer.TryWrite(true);

    // Store changes arrive in bursts (one per KV entry); one pending pass covers them all.
    private async Task ReconcileLoopAsync()
    {
        try
        {
            await foreach (var _ in _reconcile.Reader.ReadAllAsync(_stop.Token))
            {
                foreach (var provider in _running.Values)
                {
                    try
                    {
                        await provider.Instance.ReconcileAsync(_store, _stop.Token);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        _logger.LogError(e, "Applying links to provider {Provider} failed", provider.Id);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>On shutdown: stop every provider without events (a 1.x host emits none then).</summary>
    public async ValueTask DisposeAsync()
    {
        _store.Changed -= RequestReconcile;
        await _stop.CancelAsync();
        await _reconciler;
        foreach (var provider in _running.Values.ToList())
        {
            _running.TryRemove(provider.Id, out _);
            await DisposeProviderAsync(provider);
        }

        _stop.Dispose();
    }
}
