using System.Threading.Channels;

namespace Portal.Api.Deployments.Runtime;

/// <summary>
/// Writes the latest value per key with a few writers in parallel: one key is never written by two
/// writers at once (so a key's writes stay in order), and a value superseded while it waited is
/// skipped. The reconciler's statuses go through this: when 200 apps change at once, the database
/// gets each app's newest status, not a queue of stale ones written one by one.
/// </summary>
public sealed class LatestValueWriter<T>(Func<string, T, CancellationToken, Task> write, int writers)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, T> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _writing = new(StringComparer.Ordinal);
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();

    /// <summary>Queues <paramref name="value"/> as <paramref name="key"/>'s newest value.</summary>
    public void Post(string key, T value)
    {
        lock (_gate)
        {
            var queued = _pending.ContainsKey(key) || _writing.Contains(key);
            _pending[key] = value;
            if (!queued) _ready.Writer.TryWrite(key);
        }
    }

    /// <summary>Runs the writers until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, writers)).Select(_ => Task.Run(() => WriterAsync(cancellationToken), CancellationToken.None)));

    private async Task WriterAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var key = await _ready.Reader.ReadAsync(cancellationToken);
                T value;
                lock (_gate)
                {
                    if (!_pending.Remove(key, out value!)) continue;
                    _writing.Add(key);
                }

                try
                {
                    await write(key, value, cancellationToken);
                }
                finally
                {
                    lock (_gate)
                    {
                        _writing.Remove(key);
                        // A newer value arrived while writing: queue the key again.
                        if (_pending.ContainsKey(key)) _ready.Writer.TryWrite(key);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}
