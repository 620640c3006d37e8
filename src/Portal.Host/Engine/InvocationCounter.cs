using System.Collections.Concurrent;
using Portal.Lattice.Control;

namespace Portal.Host.Engine;

/// <summary>
/// Requests the engine ran per component since this host started, by outcome. Cumulative and never
/// reset (an unloaded component keeps its counts), so reports built from it tolerate loss and
/// duplication (see <see cref="InvocationMetricsEvent"/>).
/// </summary>
public sealed class InvocationCounter
{
    private readonly ConcurrentDictionary<string, Counts> _counts = new(StringComparer.Ordinal);

    public void Record(string componentId, bool ok)
    {
        var counts = _counts.GetOrAdd(componentId, static _ => new Counts());
        if (ok) Interlocked.Increment(ref counts.Ok);
        else Interlocked.Increment(ref counts.Error);
    }

    public IReadOnlyDictionary<string, InvocationCounts> Read() =>
        _counts.ToDictionary(c => c.Key, c => new InvocationCounts(Interlocked.Read(ref c.Value.Ok), Interlocked.Read(ref c.Value.Error)), StringComparer.Ordinal);

    private sealed class Counts
    {
        public long Ok;
        public long Error;
    }
}
