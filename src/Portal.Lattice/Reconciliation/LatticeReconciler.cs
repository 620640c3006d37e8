using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Lattice.Observation;

namespace Portal.Lattice.Reconciliation;

/// <summary>
/// Drives ONE lattice toward the desired state: on every observer change, on a timer and on
/// <see cref="Wake"/>, it asks <c>desired</c> for the deployed apps, reads links and configs,
/// plans with the scalers, sends the commands (bounded concurrency) and reports statuses and a
/// timeline. It keeps no desired state of its own beyond the versions it saw replaced: when NATS
/// or hosts are away a pass is skipped or its commands fail, and the next pass tries again.
/// Idempotent: a pass over unchanged states sends nothing.
/// </summary>
public sealed class LatticeReconciler : IAsyncDisposable
{
    private readonly LatticeClient _client;
    private readonly LatticeObserver _observer;
    private readonly Func<CancellationToken, ValueTask<DesiredLattice>> _desired;
    private readonly ReconcilerOptions _options;
    private readonly ExpectedEvents _expected;
    private readonly SemaphoreSlim _passGate = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<Channel<AppStatusChange>, byte> _statusWatchers = new();
    private readonly ConcurrentDictionary<Channel<TimelineEntry>, byte> _timelineWatchers = new();
    private readonly ConcurrentDictionary<string, AppStatus> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StatusInfo> _scalerStatuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppScalers> _lastDeployed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AppScalers>> _remembered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _repairing = new(StringComparer.Ordinal);
    private readonly HashSet<(string App, string Version)> _cleaned = [];
    private readonly CancellationTokenSource _stop = new();
    private LatticeSnapshot _lastSnapshot;
    private Task? _loop;
    private long _commandsSent;
    private long _passes;

    /// <param name="client">Sends the commands; its lattice must be the observer's.</param>
    /// <param name="observer">A started observer of the lattice.</param>
    /// <param name="desired">Called at the start of every pass: the deployed apps and the retired versions.</param>
    public LatticeReconciler(LatticeClient client, LatticeObserver observer, Func<CancellationToken, ValueTask<DesiredLattice>> desired, ReconcilerOptions? options = null)
    {
        _client = client;
        _observer = observer;
        _desired = desired;
        _options = options ?? new ReconcilerOptions();
        _expected = new ExpectedEvents(_options.Backoff);
        _lastSnapshot = observer.Snapshot;
    }

    public string Lattice => _observer.Lattice;

    /// <summary>Commands sent since start (successful or not); tests and benchmarks assert idempotency with it.</summary>
    public long CommandsSent => Interlocked.Read(ref _commandsSent);

    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>The last status of every app this reconciler has reported.</summary>
    public IReadOnlyDictionary<string, AppStatus> Statuses => _statuses;

    /// <summary>Starts following the observer and the timer.</summary>
    public void Start()
    {
        if (_loop is not null) throw new InvalidOperationException("already started");
        _observer.Changed += OnChanged;
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        Wake();
    }

    /// <summary>Asks for a pass soon (e.g. a deployment changed). Passes coalesce.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Every status change from now on.</summary>
    public IAsyncEnumerable<AppStatusChange> WatchStatusAsync(CancellationToken cancellationToken = default) => Watch(_statusWatchers, cancellationToken);

    /// <summary>Every timeline entry from now on (all apps of the lattice; filter by <see cref="TimelineEntry.App"/>).</summary>
    public IAsyncEnumerable<TimelineEntry> WatchTimelineAsync(CancellationToken cancellationToken = default) => Watch(_timelineWatchers, cancellationToken);

    /// <summary>
    /// Everything the passes would send over these states until the lattice converges (assuming each
    /// command succeeds), and the problems they see, without sending anything and without backoff
    /// (the portal's "plan before deploy").
    /// </summary>
    public static ReconcilePlan Plan(DesiredLattice desired, LatticeSnapshot snapshot, IReadOnlyList<Link> links, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> configs) =>
        ReconcilePlanner.PlanToConvergence(desired, new LatticeState { Snapshot = snapshot, Links = links, Configs = configs });

    /// <summary>Runs one pass now (after any running one) and says what it sent.</summary>
    public async Task<PassResult> RunPassAsync(CancellationToken cancellationToken = default)
    {
        await _passGate.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref _passes);
            return await PassAsync(cancellationToken);
        }
        finally
        {
            _passGate.Release();
        }
    }

    // ------------------------------------------------------------------ the loop

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var now = _options.Clock.GetUtcNow();
                var wait = _options.PassInterval;
                if (_expected.NextDeadline is { } deadline && deadline - now < wait) wait = deadline - now + TimeSpan.FromMilliseconds(10);
                if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                {
                    timeout.CancelAfter(wait);
                    try
                    {
                        await _wake.Reader.ReadAsync(timeout.Token);
                    }
                    catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                    {
                        // The timer: pass anyway.
                    }
                }

                await RunPassAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                // A pass that throws unexpectedly must not end reconciliation; the next one retries.
                await Task.Delay(TimeSpan.FromMilliseconds(200), _options.Clock, CancellationToken.None);
            }
        }
    }

    private void OnChanged(object? sender, LatticeChange change)
    {
        var now = _options.Clock.GetUtcNow();
        var previous = Interlocked.Exchange(ref _lastSnapshot, change.Snapshot);
        if (change.EventName is { } name)
        {
            foreach (var answer in _expected.Observe(name, change.ResourceId, change.HostId, change.Kind == LatticeChangeKind.Failure ? change.Message : null, now))
            {
                Timeline(new TimelineEntry(now, answer.App, TimelineKind.EventAnswered,
                    $"{answer.EventName} answered: {answer.Command.Describe()}", answer.ScalerId, answer.HostId, answer.Error));
            }
        }

        if (change.Kind == LatticeChangeKind.HostRemoved && change.HostId is { } lost && previous.Hosts.TryGetValue(lost, out var host))
        {
            var apps = host.Components.Values.Select(c => c.Annotations).Concat(host.Providers.Values.Select(p => p.Annotations))
                .Select(a => a.GetValueOrDefault(ScalerAnnotations.AppSpec)).OfType<string>().Distinct();
            foreach (var app in apps)
            {
                _repairing[app] = 0;
                Timeline(new TimelineEntry(now, app, TimelineKind.HostLost, $"host {lost} left the lattice ({change.Message ?? "gone"})", HostId: lost));
            }
        }

        Wake();
    }

    // ------------------------------------------------------------------ one pass

    private async Task<PassResult> PassAsync(CancellationToken cancellationToken)
    {
        var desired = await _desired(cancellationToken);
        desired = RememberVersions(desired);
        var snapshot = _observer.Snapshot;

        LatticeState state;
        try
        {
            state = await ReadStateAsync(snapshot, desired, cancellationToken);
        }
        catch (Exception e) when (e is NatsException or LatticeProtocolException or TimeoutException)
        {
            // NATS or every host is away: keep everything, try again on the next wake or tick.
            return new PassResult(0, 0, true, e.Message);
        }

        var now = _options.Clock.GetUtcNow();
        var plan = ReconcilePlanner.Plan(desired, state, id => _expected.StateOf(id, now), id => _scalerStatuses.GetValueOrDefault(id));

        // Cleanups and configs first: an upgrade's old instances go before its new ones come, and a
        // component's config is in place before the component starts.
        var first = plan.Commands.Where(c => c.Cleanup || c.ScalerKind is ConfigScaler.KindName or SecretScaler.KindName).ToList();
        var rest = plan.Commands.Except(first).ToList();
        var failed = await SendAllAsync(first, cancellationToken) + await SendAllAsync(rest, cancellationToken);

        foreach (var app in desired.Deployed)
        {
            if (!plan.Statuses.TryGetValue(app.AppName, out var status)) continue;
            foreach (var scaler in status.Scalers ?? []) _scalerStatuses[scaler.Id] = scaler.Status;
        }

        ForgetCleanedVersions(desired, plan);
        foreach (var (app, status) in plan.Statuses) await ReportAsync(app, status, cancellationToken);
        return new PassResult(plan.Commands.Count, failed, false);
    }

    /// <summary>Links from link.get, and config.get for every config name a scaler (deployed or retired) names.</summary>
    private async Task<LatticeState> ReadStateAsync(LatticeSnapshot snapshot, DesiredLattice desired, CancellationToken cancellationToken)
    {
        if (snapshot.Hosts.Count == 0) return new LatticeState { Snapshot = snapshot };
        var links = await _client.GetLinksAsync(cancellationToken);
        if (!links.Success) throw new LatticeProtocolException("link.get", links.Message);

        var names = desired.Deployed.Concat(desired.Retired).SelectMany(a => a.All)
            .Select(s => s switch { ConfigScaler c => c.ConfigName, SecretScaler x => x.SecretName, _ => null })
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var configs = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var reply = await _client.GetConfigAsync(name, cancellationToken);
            if (reply is { Success: true, Response: { } values }) configs[name] = values;
        }

        return new LatticeState { Snapshot = snapshot, Links = links.Response ?? [], Configs = configs };
    }

    private async Task<int> SendAllAsync(IReadOnlyList<PlannedCommand> commands, CancellationToken cancellationToken)
    {
        if (commands.Count == 0) return 0;
        using var slots = new SemaphoreSlim(Math.Max(1, _options.MaxInFlight));
        var failures = 0;
        await Task.WhenAll(commands.Select(async planned =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                if (!await SendAsync(planned, cancellationToken)) Interlocked.Increment(ref failures);
            }
            finally
            {
                slots.Release();
            }
        }));
        return failures;
    }

    private async Task<bool> SendAsync(PlannedCommand planned, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _commandsSent);
        var now = _options.Clock.GetUtcNow();
        // Expect before sending: the event may arrive before the reply does.
        _expected.Expect(planned.App, planned.ScalerId, planned.Command, now);
        string? error;
        try
        {
            var reply = await planned.Command.SendAsync(_client, cancellationToken);
            error = reply.Success ? null : reply.Message;
        }
        catch (Exception e) when (e is NatsException or LatticeProtocolException or TimeoutException)
        {
            error = e.Message;
        }

        // A command that did not go out causes no event: do not wait for one.
        if (error is not null) _expected.Cancel(planned.ScalerId, planned.Command);
        Timeline(new TimelineEntry(_options.Clock.GetUtcNow(), planned.App, TimelineKind.CommandSent, planned.Command.Describe(), planned.ScalerId, planned.Command.HostId, error));
        return error is null;
    }

    // ------------------------------------------------------------------ versions

    /// <summary>
    /// Adds the versions this reconciler saw replaced or undeployed to the retired ones, so an
    /// upgrade or undeploy is cleaned up even when the desired state names no retired version.
    /// </summary>
    private DesiredLattice RememberVersions(DesiredLattice desired)
    {
        lock (_remembered)
        {
            var deployed = desired.Deployed.ToDictionary(a => a.AppName, StringComparer.Ordinal);
            foreach (var (app, last) in _lastDeployed.ToList())
            {
                deployed.TryGetValue(app, out var current);
                if (current is not null && current.Version == last.Version && AppScalers.Retired(last, current).Count == 0) continue;
                if (!_remembered.TryGetValue(app, out var list)) _remembered[app] = list = [];
                list.Add(last);
                if (current is null) _lastDeployed.Remove(app);
            }

            foreach (var app in desired.Deployed) _lastDeployed[app.AppName] = app;
            var retired = desired.Retired.Concat(_remembered.Values.SelectMany(v => v)).ToList();
            return desired with { Retired = retired };
        }
    }

    /// <summary>A retired version whose cleanup sends nothing and waits for nothing is done: say so once and forget it.</summary>
    private void ForgetCleanedVersions(DesiredLattice desired, ReconcilePlan plan)
    {
        var now = _options.Clock.GetUtcNow();
        var deployed = desired.Deployed.ToDictionary(a => a.AppName, StringComparer.Ordinal);
        // A version deployed again may be retired again later: its next cleanup is reported anew.
        lock (_remembered) _cleaned.RemoveWhere(c => deployed.TryGetValue(c.App, out var d) && d.Version == c.Version);
        foreach (var version in desired.Retired.DistinctBy(r => (r.AppName, r.Version)))
        {
            var retiredIds = AppScalers.Retired(version, deployed.GetValueOrDefault(version.AppName)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var busy = plan.Commands.Any(c => c.Cleanup && retiredIds.Contains(c.ScalerId)) || retiredIds.Any(id => _expected.StateOf(id, now).Waiting);
            if (busy) continue;
            lock (_remembered)
            {
                if (_remembered.TryGetValue(version.AppName, out var list))
                {
                    list.RemoveAll(v => v.Version == version.Version);
                    if (list.Count == 0) _remembered.Remove(version.AppName);
                }

                if (!_cleaned.Add((version.AppName, version.Version))) continue;
            }

            Timeline(new TimelineEntry(now, version.AppName, TimelineKind.CleanupComplete, $"version {version.Version}: everything it owned is removed") { Version = version.Version });
        }
    }

    // ------------------------------------------------------------------ reporting

    private async Task ReportAsync(string app, AppStatus status, CancellationToken cancellationToken)
    {
        var json = status.ToJson();
        if (_statuses.TryGetValue(app, out var last) && last.ToJson() == json) return;
        _statuses[app] = status;
        var now = _options.Clock.GetUtcNow();
        if (status.Status.Type == StatusType.Deployed && _repairing.TryRemove(app, out _))
        {
            Timeline(new TimelineEntry(now, app, TimelineKind.Repaired, "deployed again after a host loss"));
        }

        if (_options.PublishStatus)
        {
            try
            {
                await _client.Connection.PublishAsync($"wadm.status.{Lattice}.{app}", status.ToJsonBytes(), cancellationToken: cancellationToken);
            }
            catch (Exception e) when (e is NatsException or ObjectDisposedException)
            {
                // Status subscribers catch up with the next change; the Api side stores it from the watch below.
            }
        }

        var change = new AppStatusChange(Lattice, app, status, now);
        foreach (var watcher in _statusWatchers.Keys) watcher.Writer.TryWrite(change);
    }

    private void Timeline(TimelineEntry entry)
    {
        foreach (var watcher in _timelineWatchers.Keys) watcher.Writer.TryWrite(entry);
    }

    private static async IAsyncEnumerable<T> Watch<T>(ConcurrentDictionary<Channel<T>, byte> watchers, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        watchers[channel] = 0;
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken)) yield return item;
        }
        finally
        {
            watchers.TryRemove(channel, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _observer.Changed -= OnChanged;
        _stop.Cancel();
        if (_loop is not null) await _loop;
        foreach (var watcher in _statusWatchers.Keys) watcher.Writer.TryComplete();
        foreach (var watcher in _timelineWatchers.Keys) watcher.Writer.TryComplete();
        _stop.Dispose();
        _passGate.Dispose();
    }
}
