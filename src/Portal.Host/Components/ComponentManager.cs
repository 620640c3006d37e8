using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Portal.Host.Artifacts;
using Portal.Host.Claims;
using Portal.Host.Configuration;
using Portal.Host.Engine;
using Portal.Host.Events;
using Portal.Host.State;
using Portal.Lattice.Control;

namespace Portal.Host.Components;

/// <summary>
/// component.scale and component.update (protocol 1.5, 3.5): fetch the image, load it into the
/// engine with max_instances as its concurrency cap, unload at 0, and report each outcome as an
/// event. Work on one component id is serialized; different ids proceed in parallel.
/// </summary>
public sealed class ComponentManager(
    ActorEngine engine,
    ImageFetcher fetcher,
    LatticeStore store,
    EventPublisher events,
    HostOptions options,
    string hostId,
    ILogger logger)
{
    /// <summary>component_limits keys we understand; anything else is only echoed back.</summary>
    public const string MemoryLimitKey = "max_linear_memory_bytes";
    public const string TimeLimitKey = "max_execution_time_ms";

    private readonly ConcurrentDictionary<string, RunningComponent> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public IReadOnlyCollection<RunningComponent> Running => _running.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();

    public bool IsRunning(string id) => _running.ContainsKey(id);

    /// <summary>The reply's message, decided before the work starts (scale is acknowledged first).</summary>
    public string ScaleReplyMessage(ScaleComponentCommand command) =>
        _running.TryGetValue(command.ComponentId, out var current) && command.MaxInstances > 0 && command.ComponentRef.Length > 0
            && current.ImageRef != command.ComponentRef && !command.AllowUpdate
            ? $"component {command.ComponentId} is already running with a different image reference ({current.ImageRef}); scaled without updating the image, use allow_update or component.update"
            : "";

    public async Task ScaleAsync(ScaleComponentCommand command, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(command.ComponentId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await ScaleLockedAsync(command, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task ScaleLockedAsync(ScaleComponentCommand command, CancellationToken cancellationToken)
    {
        var id = command.ComponentId;
        var annotations = command.Annotations ?? [];
        _running.TryGetValue(id, out var current);
        if (command.MaxInstances == 0)
        {
            if (current is not null)
            {
                _running.TryRemove(id, out _);
                await engine.UnloadAsync(id, cancellationToken);
                logger.LogInformation("Stopped component {Component}", id);
            }

            await ScaledAsync(command, current?.ImageRef ?? command.ComponentRef, 0, annotations, cancellationToken);
            return;
        }

        // A running component keeps its image unless the caller asked for an update.
        var imageRef = current is not null && (!command.AllowUpdate || command.ComponentRef.Length == 0) ? current.ImageRef : command.ComponentRef;
        if (current is not null && imageRef == current.ImageRef && current.MaxInstances == command.MaxInstances
            && current.Config.SequenceEqual(command.Config))
        {
            _running[id] = current with { Annotations = annotations };
            await ScaledAsync(command, imageRef, command.MaxInstances, annotations, cancellationToken);
            return;
        }

        try
        {
            await StartAsync(id, imageRef, command.MaxInstances, annotations, command.Config, command.ComponentLimits, cancellationToken);
            await ScaledAsync(command, imageRef, command.MaxInstances, annotations, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Scaling component {Component} ({Image}) failed: {Error}", id, imageRef, e.Message);
            await events.PublishAsync(LatticeEvents.ComponentScaleFailed, new ComponentScaleFailedEvent
            {
                Annotations = annotations,
                ComponentId = id,
                HostId = HostIdOf(command.HostId),
                ImageRef = imageRef,
                MaxInstances = command.MaxInstances,
                Error = e.Message,
            }, cancellationToken);
        }
    }

    /// <summary>component.update's reply, or null when the update goes ahead (then call <see cref="UpdateAsync"/>).</summary>
    public CtlResponse<object>? UpdateRefusal(UpdateComponentCommand command)
    {
        if (!_running.TryGetValue(command.ComponentId, out var current)) return CtlResponse.Error($"component {command.ComponentId} not found");
        if (current.ImageRef == command.NewComponentRef) return CtlResponse.Ok($"component {command.ComponentId} already updated to {command.NewComponentRef}");
        return null;
    }

    public string UpdateMessage(UpdateComponentCommand command) =>
        $"component {command.ComponentId} updating from {_running.GetValueOrDefault(command.ComponentId)?.ImageRef} to {command.NewComponentRef}";

    public async Task UpdateAsync(UpdateComponentCommand command, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(command.ComponentId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!_running.TryGetValue(command.ComponentId, out var current)) return;
            var annotations = command.Annotations ?? new Dictionary<string, string>(current.Annotations);
            var scale = new ScaleComponentCommand { ComponentId = current.Id, HostId = command.HostId, MaxInstances = current.MaxInstances, ComponentRef = command.NewComponentRef };
            try
            {
                await StartAsync(current.Id, command.NewComponentRef, current.MaxInstances, annotations, current.Config, current.Limits, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Updating component {Component} failed: {Error}", current.Id, e.Message);
                await events.PublishAsync(LatticeEvents.ComponentScaleFailed, new ComponentScaleFailedEvent
                {
                    Annotations = annotations, ComponentId = current.Id, HostId = HostIdOf(command.HostId),
                    ImageRef = command.NewComponentRef, MaxInstances = current.MaxInstances, Error = e.Message,
                }, cancellationToken);
                return;
            }

            // As a 1.x host reports it: the new image at the same cap, then the old one at 0.
            await ScaledAsync(scale, command.NewComponentRef, current.MaxInstances, annotations, cancellationToken);
            await ScaledAsync(scale, current.ImageRef, 0, annotations, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task StartAsync(string id, string imageRef, uint maxInstances, Dictionary<string, string> annotations,
        IReadOnlyList<string> config, IReadOnlyDictionary<string, string>? limits, CancellationToken cancellationToken)
    {
        var wasm = await fetcher.FetchAsync(imageRef, cancellationToken);
        var kind = WasmKind.Detect(wasm);
        // Claims that do not verify refuse the component before anything runs (as a 1.x host).
        var claims = ComponentClaims.Read(wasm, DateTimeOffset.UtcNow);
        var values = store.MergedConfig(config);
        var actorLimits = new ActorLimits
        {
            MemoryBytes = LimitOr(limits, MemoryLimitKey, options.MaxLinearMemoryBytes),
            Timeout = TimeSpan.FromMilliseconds(LimitOr(limits, TimeLimitKey, (long)options.MaxExecutionTime.TotalMilliseconds)),
            MaxInstances = (int)Math.Min(maxInstances, int.MaxValue),
            // Named config given in the scale command is the component's grant (CGI modules see it as environment).
            ConfigAsEnvironment = values.Count > 0,
        };
        await engine.LoadAsync(id, wasm, kind, actorLimits, values, cancellationToken);
        _running[id] = new RunningComponent(id, imageRef, maxInstances, kind, annotations, config.ToList(), limits, claims);
        logger.LogInformation("Component {Component} running {Image} ({Kind}, max {Max} concurrent)", id, imageRef, kind, maxInstances);
        await store.SetUrlAsync(id, imageRef, cancellationToken);
        if (claims is not null) await store.PutClaimsAsync(claims.Subject, claims.ToStored(), cancellationToken);
    }

    private static long LimitOr(IReadOnlyDictionary<string, string>? limits, string key, long fallback) =>
        limits is not null && limits.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    private Task ScaledAsync(ScaleComponentCommand command, string imageRef, uint max, Dictionary<string, string> annotations, CancellationToken cancellationToken)
    {
        // A signed component's events carry its public key and claims (protocol 2.2).
        var claims = _running.TryGetValue(command.ComponentId, out var running) && running.ImageRef == imageRef ? running.Claims : null;
        return events.PublishAsync(LatticeEvents.ComponentScaled, new ComponentScaledEvent
        {
            Annotations = annotations,
            HostId = HostIdOf(command.HostId),
            ImageRef = imageRef,
            MaxInstances = max,
            ComponentId = command.ComponentId,
            PublicKey = claims?.Subject,
            Claims = claims?.ToEventClaims(),
        }, cancellationToken);
    }

    // Hosts echo the body's host_id; an empty one would make the event useless to readers of data.
    private string HostIdOf(string bodyHostId) => string.IsNullOrEmpty(bodyHostId) ? hostId : bodyHostId;

    /// <summary>On shutdown: unload everything (no per-component events, as a 1.x host does).</summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        foreach (var id in _running.Keys.ToList())
        {
            _running.TryRemove(id, out _);
            try
            {
                await engine.UnloadAsync(id, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug(e, "Unloading {Component} at shutdown failed", id);
            }
        }
    }
}
