using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data.Applications;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Deployments.Runtime;

/// <summary>
/// One lattice's reconciler while this replica leads, and the two pumps that turn what it reports
/// into system writes: statuses through <see cref="DeploymentStatusWriter"/> (the UI reads them)
/// and timeline entries into application events. These are observations, not people's changes:
/// no audit.
/// </summary>
internal sealed partial class LatticeWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];

    private LatticeWorker(LatticeReconciler reconciler) => Reconciler = reconciler;

    public LatticeReconciler Reconciler { get; }

    public static async Task<LatticeWorker> StartAsync(
        string latticeId, LatticeRuntime runtime, DesiredStateReader desired, IServiceScopeFactory scopes,
        ReconcilerOptions options, int statusWriters, ILogger logger, CancellationToken cancellationToken)
    {
        var observer = await runtime.GetObserverAsync(latticeId, cancellationToken);
        var client = await runtime.GetClientAsync(latticeId, cancellationToken);
        runtime.Hold(latticeId, true);
        var reconciler = new LatticeReconciler(client, observer, ct => desired.ReadAsync(latticeId, ct), options);
        var worker = new LatticeWorker(reconciler);
        var pumps = new Pumps(latticeId, desired, scopes, logger);
        var statuses = new LatestValueWriter<AppStatus>(pumps.StatusAsync, statusWriters);
        worker._pumps.Add(statuses.RunAsync(worker._stop.Token));
        // Both watches are registered here, before the first pass, so its reports are not missed.
        worker._pumps.Add(Drain(reconciler.WatchStatusAsync(worker._stop.Token), (change, _) =>
        {
            statuses.Post(change.App, change.Status);
            return Task.CompletedTask;
        }, worker._stop.Token));
        worker._pumps.Add(Drain(reconciler.WatchTimelineAsync(worker._stop.Token), pumps.TimelineAsync, worker._stop.Token));
        reconciler.Start();
        return worker;
    }

    /// <summary>
    /// Starts enumerating at once (the first MoveNextAsync runs the watch up to its first wait, which
    /// registers it), then hands each item to <paramref name="handle"/>.
    /// </summary>
    private static Task Drain<T>(IAsyncEnumerable<T> source, Func<T, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        var items = source.GetAsyncEnumerator(cancellationToken);
        var first = items.MoveNextAsync();
        return RunAsync();

        async Task RunAsync()
        {
            try
            {
                for (var more = await first; more; more = await items.MoveNextAsync()) await handle(items.Current, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped.
            }
            finally
            {
                await items.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Reconciler.DisposeAsync();
        await _stop.CancelAsync();
        await Task.WhenAll(_pumps);

        _stop.Dispose();
    }

    private sealed partial class Pumps(string latticeId, DesiredStateReader desired, IServiceScopeFactory scopes, ILogger logger)
    {
        public Task StatusAsync(string app, AppStatus status, CancellationToken cancellationToken)
        {
            var report = StatusReports.From(status);
            return WriteAsync(w => w.RecordStatusAsync(latticeId, app, report, cancellationToken), cancellationToken);
        }

        public Task TimelineAsync(TimelineEntry entry, CancellationToken cancellationToken)
        {
            if (entry.Kind == TimelineKind.CleanupComplete)
            {
                // The retired version owns nothing now: stop listing it as retired.
                if (entry.Version is { } version) desired.CleanupComplete(latticeId, entry.App, version);
                return Task.CompletedTask;
            }

            var kind = entry.Kind switch
            {
                TimelineKind.CommandSent => ApplicationEventKinds.CommandSent,
                TimelineKind.EventAnswered => ApplicationEventKinds.EventReceived,
                TimelineKind.HostLost => ApplicationEventKinds.HostLost,
                _ => ApplicationEventKinds.Repaired,
            };
            var message = entry.Error is null ? entry.Text : $"{entry.Text} — failed: {entry.Error}";
            var data = new { scaler = entry.ScalerId, host = entry.HostId, error = entry.Error };
            return WriteAsync(w => w.RecordEventAsync(latticeId, entry.App, kind, message, data, cancellationToken), cancellationToken);
        }

        /// <summary>A few tries: the database may blink; losing one status would leave the UI stale until the next change.</summary>
        private async Task WriteAsync(Func<DeploymentStatusWriter, Task<bool>> write, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await write(scope.ServiceProvider.GetRequiredService<DeploymentStatusWriter>());
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException && attempt < 5)
                {
                    LogRetry(latticeId, e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogDropped(latticeId, e.Message);
                    return;
                }
            }
        }

        [LoggerMessage(LogLevel.Warning, "Writing a reconciler report of {Lattice} failed ({Error}); retrying")]
        private partial void LogRetry(string lattice, string error);

        [LoggerMessage(LogLevel.Error, "Gave up writing a reconciler report of {Lattice}: {Error}")]
        private partial void LogDropped(string lattice, string error);
    }
}
