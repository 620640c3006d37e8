using Microsoft.Extensions.Logging;
using Portal.Host.Engine;
using Portal.Host.State;
using Portal.Lattice.Control;

namespace Portal.Host.Providers.Http;

/// <summary>
/// The built-in HTTP server provider. It is the source of <c>wasi:http/incoming-handler</c> links;
/// each such link's source config names an <c>address</c>, and requests there are routed to the
/// link's target component. Links and config come from the lattice store, so a link put through
/// any host takes effect here.
/// </summary>
public sealed class HttpServerProvider(string id, ActorEngine engine, Func<string, bool> isComponentRunning, ILogger logger) : IBuiltinProvider
{
    private readonly Dictionary<string, HttpListenerEndpoint> _listeners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _failures = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Id { get; } = id;

    public (bool Healthy, string? Message) Health
    {
        get
        {
            lock (_failures)
            {
                return _failures.Count == 0 ? (true, null) : (false, string.Join("; ", _failures.Select(f => $"{f.Key}: {f.Value}")));
            }
        }
    }

    /// <summary>The addresses listened on and their targets (for tests and logs).</summary>
    public IReadOnlyDictionary<string, string> Routes
    {
        get
        {
            lock (_listeners) return _listeners.ToDictionary(l => l.Key, l => l.Value.Target);
        }
    }

    public async Task ReconcileAsync(LatticeStore store, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var desired = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var link in store.Links.Where(IsOurs))
            {
                var address = store.MergedConfig(link.SourceConfig).GetValueOrDefault("address") ?? ListenAddress.Default;
                if (!desired.TryAdd(address, link.Target) && desired[address] != link.Target)
                {
                    logger.LogWarning("HTTP server {Provider}: {Address} is linked to both {First} and {Second}; keeping the first", Id, address, desired[address], link.Target);
                }
            }

            List<HttpListenerEndpoint> stale;
            lock (_listeners)
            {
                stale = _listeners.Where(l => !desired.ContainsKey(l.Key)).Select(l => l.Value).ToList();
                foreach (var listener in stale) _listeners.Remove(listener.Address);
            }

            foreach (var listener in stale)
            {
                await listener.DisposeAsync();
                logger.LogInformation("HTTP server {Provider} stopped listening on {Address}", Id, listener.Address);
            }

            lock (_failures)
            {
                foreach (var address in _failures.Keys.Where(a => !desired.ContainsKey(a)).ToList()) _failures.Remove(address);
            }

            foreach (var (address, target) in desired)
            {
                HttpListenerEndpoint? existing;
                lock (_listeners) _listeners.TryGetValue(address, out existing);
                if (existing is not null)
                {
                    existing.Target = target;
                    continue;
                }

                var listener = new HttpListenerEndpoint(address, target, engine, isComponentRunning, logger);
                try
                {
                    await listener.StartAsync(cancellationToken);
                    lock (_listeners) _listeners[address] = listener;
                    lock (_failures) _failures.Remove(address);
                    logger.LogInformation("HTTP server {Provider} listening on {Address} for component {Component}", Id, address, target);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await listener.DisposeAsync();
                    lock (_failures) _failures[address] = e.Message;
                    logger.LogError("HTTP server {Provider} cannot listen on {Address}: {Error}", Id, address, e.Message);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsOurs(Link link) =>
        link.SourceId == Id && link.WitNamespace == "wasi" && link.WitPackage == "http" && link.Interfaces.Contains("incoming-handler");

    public async ValueTask DisposeAsync()
    {
        List<HttpListenerEndpoint> all;
        lock (_listeners)
        {
            all = _listeners.Values.ToList();
            _listeners.Clear();
        }

        foreach (var listener in all) await listener.DisposeAsync();
    }
}
