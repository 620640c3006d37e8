using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Portal.Api.Deployments.Runtime;
using Portal.Lattice.Nats;
using Portal.Lattice.Observation;

namespace Portal.Api.Topology;

/// <summary>
/// A live view of one lattice for one reader (a console circuit, a test). Opened by
/// <see cref="TopologyService.WatchAsync"/>, which checks the tenant first; after that it needs
/// only singletons, so it can outlive the DI scope it was opened in. Updates are pushed by the
/// lattice observer; the one timer checks for hosts turning stale and keeps the observer in use.
/// </summary>
public sealed class TopologyWatch
{
    private readonly LatticeRuntime _runtime;
    private readonly TopologyViewCache _views;
    private readonly IReadOnlySet<string> _applications;
    private readonly TimeSpan _staleAfter;
    private readonly TimeSpan _checkInterval;
    private readonly TimeSpan _minInterval;
    private readonly TimeProvider _clock;
    private volatile LatticeObserver _observer;
    private volatile bool _connected;

    internal TopologyWatch(
        LatticeRuntime runtime, TopologyViewCache views, LatticeObserver observer, NatsConnection connection, string lattice, IReadOnlySet<string> applications,
        TimeSpan staleAfter, TimeSpan checkInterval, TimeSpan minInterval, TimeProvider clock)
    {
        _runtime = runtime;
        _views = views;
        _observer = observer;
        _applications = applications;
        _staleAfter = staleAfter;
        _checkInterval = checkInterval;
        _minInterval = minInterval;
        _clock = clock;
        Lattice = lattice;
        Connection = connection;
        _connected = connection.ConnectionState == NatsConnectionState.Open;
        Current = Build();
    }

    /// <summary>The environment's name.</summary>
    public string Lattice { get; }

    public string LatticeId => _observer.Lattice;

    /// <summary>The latest view handed out (the first is ready when the watch opens).</summary>
    public TopologyView Current { get; private set; }

    /// <summary>Whether the portal's NATS connection to the lattice is up: while it is not, the view may be out of date.</summary>
    public bool Connected => _connected;

    private NatsConnection Connection { get; }

    /// <summary>
    /// Updates until <paramref name="cancellationToken"/>: one per burst of changes (changes that
    /// arrive while the previous update is being built are folded into the next), and one when a
    /// host turns stale or fresh or the connection drops or comes back.
    /// </summary>
    public async IAsyncEnumerable<TopologyUpdate> UpdatesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // null is a tick of the stale check.
        var pending = Channel.CreateUnbounded<TopologyChange?>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnConnection(object? sender, NatsConnectionStateChangedEventArgs e)
        {
            _connected = e.Current == NatsConnectionState.Open;
            pending.Writer.TryWrite(new TopologyChange(_connected ? "Connected" : "Disconnected", null, null, null, e.Error?.Message, _clock.GetUtcNow()));
        }

        Connection.ConnectionStateChanged += OnConnection;
        var pump = Task.Run(() => PumpAsync(pending.Writer, stop.Token), CancellationToken.None);
        var ticker = Task.Run(() => TickAsync(pending.Writer, stop.Token), CancellationToken.None);
        try
        {
            var stale = StaleHosts(Current);
            var last = DateTimeOffset.MinValue;
            while (await pending.Reader.WaitToReadAsync(cancellationToken))
            {
                // Leading edge: the first change after a quiet spell goes out at once; later ones wait out the interval and are folded together.
                var wait = last + _minInterval - _clock.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _clock, cancellationToken);
                var changes = new List<TopologyChange>();
                while (pending.Reader.TryRead(out var change))
                {
                    if (change is not null) changes.Add(change);
                }

                var view = Build();
                var nowStale = StaleHosts(view);
                var at = _clock.GetUtcNow();
                changes.AddRange(nowStale.Except(stale).Select(h => new TopologyChange("HostStale", h, null, null, "no heartbeat for a while", at)));
                changes.AddRange(stale.Except(nowStale).Where(h => view.Hosts.Any(x => x.Id == h)).Select(h => new TopologyChange("HostFresh", h, null, null, null, at)));
                stale = nowStale;
                if (changes.Count == 0) continue;
                Current = view;
                last = _clock.GetUtcNow();
                yield return new TopologyUpdate(view, changes);
            }
        }
        finally
        {
            Connection.ConnectionStateChanged -= OnConnection;
            stop.Cancel();
            await Task.WhenAll(pump, ticker).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Follows the observer; when the runtime closes it (idle) or replaces it, follows the new one.</summary>
    private async Task PumpAsync(ChannelWriter<TopologyChange?> writer, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var observer = _observer;
            try
            {
                await foreach (var change in observer.WatchAsync(cancellationToken))
                {
                    writer.TryWrite(new TopologyChange(change.Kind.ToString(), change.HostId, change.ResourceId, change.EventName, change.Message, change.Snapshot.TakenAt));
                }

                if (cancellationToken.IsCancellationRequested) return;
                // The observer ended: ask the runtime for the lattice's observer again (it starts a fresh one, seeded).
                _observer = await _runtime.GetObserverAsync(observer.Lattice, cancellationToken);
                writer.TryWrite(new TopologyChange("Seeded", null, null, null, "observer restarted", _clock.GetUtcNow()));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NatsException or IOException or InvalidOperationException or ObjectDisposedException)
            {
                // NATS is away: the connection indicator says so; try again after a check interval.
                try
                {
                    await Task.Delay(_checkInterval, _clock, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task TickAsync(ChannelWriter<TopologyChange?> writer, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_checkInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                writer.TryWrite(null);
                try
                {
                    // Using the observer keeps the runtime from closing it as idle while someone watches.
                    var current = await _runtime.GetObserverAsync(_observer.Lattice, cancellationToken);
                    if (!ReferenceEquals(current, _observer)) _observer = current;
                }
                catch (Exception e) when (e is NatsException or IOException or InvalidOperationException)
                {
                    // Reported through the connection state; the pump retries.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Shared with every other watch of the lattice (TopologyViewCache): a stale check that finds
    // nothing new returns the view already held instead of building another.
    private TopologyView Build() => _views.Get(Lattice, _observer.Snapshot, _applications, _staleAfter, _clock.GetUtcNow());

    private static HashSet<string> StaleHosts(TopologyView view) => view.Hosts.Where(h => h.Stale).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
}
