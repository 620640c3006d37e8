using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Portal.Api.Deployments;
using Portal.Data.Applications;
using Portal.Lattice.Reconciliation;

namespace Benchmarks.Reconciler;

/// <summary>
/// Writes every status the reconciler reports through <see cref="DeploymentStatusWriter"/>, one
/// after another as the portal's pump does, and remembers when each app was last written deployed.
/// </summary>
internal sealed class StatusPump
{
    private readonly ConcurrentDictionary<string, (StatusType Type, long WrittenAt)> _last = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public StatusPump(BenchLattice bench, LatticeReconciler reconciler, CancellationToken cancellationToken)
    {
        // The first MoveNextAsync registers the watch now, before the reconciler starts.
        var changes = reconciler.WatchStatusAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var first = changes.MoveNextAsync();
        _loop = RunAsync();

        async Task RunAsync()
        {
            try
            {
                for (var more = await first; more; more = await changes.MoveNextAsync())
                {
                    var status = changes.Current.Status;
                    await bench.WriteStatusAsync(changes.Current.App, new DeploymentStatusReport(
                        Enum.Parse<DeploymentStatusType>(status.Status.Type.ToString()),
                        status.Status.Message.Length == 0 ? null : status.Status.Message,
                        JsonSerializer.SerializeToElement(status.Scalers ?? [])));
                    _last[changes.Current.App] = (status.Status.Type, Stopwatch.GetTimestamp());
                }
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        }
    }

    public int StatusWrites => _last.Count;

    /// <summary>Waits until every app in <paramref name="apps"/> was last written deployed, at or after <paramref name="since"/> (a Stopwatch timestamp).</summary>
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

    public Task Completion => _loop;
}
