using System.Collections.Concurrent;
using System.Diagnostics;
using Portal.Api.Deployments.Runtime;
using Portal.Lattice.Reconciliation;

namespace Benchmarks.Reconciler;

/// <summary>
/// Stores every status the reconciler reports as the portal does (<see cref="LatestValueWriter{T}"/>
/// with the portal's default 4 writers, each write through DeploymentStatusWriter), and remembers
/// when each app was last stored deployed.
/// </summary>
internal sealed class StatusPump
{
    public const int Writers = 4;
    private readonly ConcurrentDictionary<string, (StatusType Type, long WrittenAt)> _last = new(StringComparer.Ordinal);
    private long _writes;

    public StatusPump(BenchLattice bench, LatticeReconciler reconciler, CancellationToken cancellationToken)
    {
        var writer = new LatestValueWriter<AppStatus>(async (app, status, _) =>
        {
            await bench.WriteStatusAsync(app, StatusReports.From(status));
            Interlocked.Increment(ref _writes);
            _last[app] = (status.Status.Type, Stopwatch.GetTimestamp());
        }, Writers);
        _ = writer.RunAsync(cancellationToken);

        // The first MoveNextAsync registers the watch now, before the reconciler starts.
        var changes = reconciler.WatchStatusAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var first = changes.MoveNextAsync();
        _ = RunAsync();

        async Task RunAsync()
        {
            try
            {
                for (var more = await first; more; more = await changes.MoveNextAsync()) writer.Post(changes.Current.App, changes.Current.Status);
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        }
    }

    /// <summary>Status rows written so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Waits until every app in <paramref name="apps"/> was last stored deployed, at or after <paramref name="since"/> (a Stopwatch timestamp).</summary>
    public async Task<bool> WaitDeployedAsync(IReadOnlyCollection<string> apps, long since, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (apps.All(a => _last.TryGetValue(a, out var l) && l.Type == StatusType.Deployed && l.WrittenAt >= since)) return true;
            await Task.Delay(2);
        }

        return false;
    }
}
