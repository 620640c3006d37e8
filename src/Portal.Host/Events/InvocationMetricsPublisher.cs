using Portal.Host.Engine;
using Portal.Lattice.Control;

namespace Portal.Host.Events;

/// <summary>
/// Publishes the engine's cumulative invocation counts on <c>wasmbus.evt.{lattice}.component_invocations</c>
/// every interval (and once more at a graceful stop). Nothing is sent before the first request.
/// Plain publish, best effort: a lost report is covered by the next, which carries the totals.
/// </summary>
public sealed class InvocationMetricsPublisher(EventPublisher events, InvocationCounter counter, string hostId, TimeProvider clock)
{
    private readonly string _bootId = Guid.NewGuid().ToString();
    private readonly DateTimeOffset _since = clock.GetUtcNow();
    private long _sequence;

    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) await PublishAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task PublishAsync(CancellationToken cancellationToken = default)
    {
        var counts = counter.Read();
        if (counts.Count == 0) return;
        await events.PublishAsync(InvocationMetricsEvent.EventName, new InvocationMetricsEvent
        {
            HostId = hostId,
            BootId = _bootId,
            Sequence = Interlocked.Increment(ref _sequence),
            CountingSince = _since,
            ReadAt = clock.GetUtcNow(),
            Components = counts,
        }, cancellationToken);
    }
}
