using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Portal.Lattice.Control;
using Portal.Lattice.Observation;

namespace Portal.Api.Deployments.Runtime;

/// <summary>
/// The portal's live view of its lattices: one <see cref="LatticeObserver"/> (and control client)
/// per lattice someone needs — the reconciler for lattices with deployments, the planner, later
/// the topology page — started on first use over the tenant's NATS connection and closed once
/// nobody has used it for <see cref="ReconcilerSettings.ObserverIdle"/> and nobody holds it.
/// </summary>
public sealed class LatticeRuntime(TenantNatsConnections connections, IOptions<ReconcilerSettings> settings, TimeProvider clock) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _lattices = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The started observer of <paramref name="latticeId"/> (wire id). Throws when the lattice is unknown or NATS is unreachable.</summary>
    public async Task<LatticeObserver> GetObserverAsync(string latticeId, CancellationToken cancellationToken = default) =>
        (await GetAsync(latticeId, cancellationToken)).Observer;

    /// <summary>A control-interface client of <paramref name="latticeId"/> on the same connection as its observer.</summary>
    public async Task<LatticeClient> GetClientAsync(string latticeId, CancellationToken cancellationToken = default) =>
        (await GetAsync(latticeId, cancellationToken)).Client;

    /// <summary>The snapshot of an observer already running for <paramref name="latticeId"/>, or null; never starts one.</summary>
    public LatticeSnapshot? Peek(string latticeId) => _lattices.TryGetValue(latticeId, out var entry) ? entry.Observer.Snapshot : null;

    /// <summary>Keeps <paramref name="latticeId"/>'s observer open (the reconciler holds its lattices) or lets it idle out.</summary>
    public void Hold(string latticeId, bool held)
    {
        if (_lattices.TryGetValue(latticeId, out var entry))
        {
            entry.Held = held;
            entry.LastUsed = clock.GetUtcNow();
        }
    }

    /// <summary>Closes observers nobody holds and nobody used for the idle time.</summary>
    public async Task CloseIdleAsync()
    {
        var cutoff = clock.GetUtcNow() - settings.Value.ObserverIdle;
        foreach (var (id, entry) in _lattices.ToList())
        {
            if (entry.Held || entry.LastUsed > cutoff) continue;
            if (_lattices.TryRemove(id, out var removed)) await removed.Observer.DisposeAsync();
        }
    }

    private async Task<Entry> GetAsync(string latticeId, CancellationToken cancellationToken)
    {
        if (_lattices.TryGetValue(latticeId, out var existing))
        {
            existing.LastUsed = clock.GetUtcNow();
            return existing;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_lattices.TryGetValue(latticeId, out existing)) return existing;
            var slug = await connections.TenantOfAsync(latticeId, cancellationToken)
                       ?? throw new InvalidOperationException($"No lattice {latticeId}.");
            var connection = await connections.ForTenantAsync(slug, cancellationToken);
            var options = settings.Value;
            var observer = new LatticeObserver(connection, options.ToObserverOptions(latticeId, clock));
            try
            {
                await observer.StartAsync(cancellationToken);
            }
            catch
            {
                await observer.DisposeAsync();
                throw;
            }

            var client = new LatticeClient(connection, new LatticeClientOptions { Lattice = latticeId, Timeout = options.RequestTimeout });
            var entry = new Entry(observer, client) { LastUsed = clock.GetUtcNow() };
            _lattices[latticeId] = entry;
            return entry;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in _lattices.Values) await entry.Observer.DisposeAsync();
        _lattices.Clear();
    }

    private sealed class Entry(LatticeObserver observer, LatticeClient client)
    {
        public LatticeObserver Observer { get; } = observer;

        public LatticeClient Client { get; } = client;

        public volatile bool Held;

        public DateTimeOffset LastUsed { get; set; }
    }
}
