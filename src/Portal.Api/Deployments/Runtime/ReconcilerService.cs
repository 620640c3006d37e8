using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Data;
using Portal.Lattice.Reconciliation;

namespace Portal.Api.Deployments.Runtime;

/// <summary>
/// Hosts the reconciler. Every replica runs this service, but only the one holding a Postgres
/// session advisory lock reconciles (ARCHITECTURE: one reconciler per installation, so two
/// replicas never send competing commands). The lock lives on a dedicated connection that also
/// LISTENs for deploys committed on other replicas; if that connection drops, the lock is gone
/// with it, so reconciling stops until the lock is taken again.
/// </summary>
public sealed partial class ReconcilerService(
    LatticeRuntime runtime,
    DesiredStateReader desired,
    IServiceScopeFactory scopes,
    IOptions<ReconcilerSettings> settings,
    TimeProvider clock,
    ILogger<ReconcilerService> logger) : BackgroundService
{
    /// <summary>The NOTIFY channel a committed deployment change is announced on (payload: the lattice's wire id).</summary>
    public const string NotifyChannel = "portal_deployments";

    /// <summary>The advisory lock key ("LPreconc" as ASCII); advisory locks are per database.</summary>
    public const long LockKey = 0x4C507265636F6E63;

    private readonly ConcurrentDictionary<string, LatticeWorker> _workers = new(StringComparer.Ordinal);
    private readonly Channel<string?> _requests = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });
    private long _commandsSentByStopped;
    private volatile bool _leader;

    /// <summary>Whether this replica holds the lock and reconciles.</summary>
    public bool IsLeader => _leader;

    /// <summary>Commands this replica's reconcilers sent since start.</summary>
    public long CommandsSent => Interlocked.Read(ref _commandsSentByStopped) + _workers.Values.Sum(w => w.Reconciler.CommandsSent);

    /// <summary>The reconciler of <paramref name="latticeId"/> while this replica leads, else null.</summary>
    public LatticeReconciler? ReconcilerOf(string latticeId) => _workers.TryGetValue(latticeId, out var w) ? w.Reconciler : null;

    /// <summary>A deployment in <paramref name="latticeId"/> changed: pass now (or start reconciling that lattice).</summary>
    public void Wake(string latticeId)
    {
        if (_workers.TryGetValue(latticeId, out var worker)) worker.Reconciler.Wake();
        else _requests.Writer.TryWrite(latticeId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await OpenLockConnectionAsync(stoppingToken);
                await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
                {
                    command.Parameters.AddWithValue("key", LockKey);
                    if (await command.ExecuteScalarAsync(stoppingToken) is true)
                    {
                        LogLeading();
                        _leader = true;
                        await LeadAsync(connection, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong (database away, lock connection killed), never end the service:
                // a stopped BackgroundService would stop the whole portal. Try again after a while.
                if (_leader) LogLostLock(e.Message);
                else LogLockUnavailable(e.Message);
            }
            finally
            {
                _leader = false;
                await StopAllAsync();
            }

            try
            {
                // A follower still plans: close the observers its plans opened once they idle.
                await runtime.CloseIdleAsync();
                await Task.Delay(settings.Value.LeaderRetry, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<NpgsqlConnection> OpenLockConnectionAsync(CancellationToken cancellationToken)
    {
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            connectionString = scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database.GetConnectionString()
                               ?? throw new InvalidOperationException("No connection string for the reconciler's lock.");
        }

        // Its own physical connection: a pooled one could carry the session lock back into the pool.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 5, ApplicationName = "portal-reconciler-lock" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>While the lock connection lives: listen for other replicas' deploys and keep a reconciler per lattice.</summary>
    private async Task LeadAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        connection.Notification += (_, e) => _requests.Writer.TryWrite(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {NotifyChannel}", connection)) await listen.ExecuteNonQueryAsync(stoppingToken);

        using var lead = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var sync = Task.Run(() => SyncLoopAsync(lead.Token), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Notifications arrive while waiting; a quiet wait ends with a probe, so a dead
                // connection (and with it the lock) is noticed within LeaderRetry.
                if (!await connection.WaitAsync(settings.Value.LeaderRetry, stoppingToken))
                {
                    await using var probe = new NpgsqlCommand("SELECT 1", connection);
                    await probe.ExecuteScalarAsync(stoppingToken);
                }

                if (sync.IsCompleted) await sync; // surfaces an unexpected failure of the sync loop
            }
        }
        finally
        {
            await lead.CancelAsync();
            try
            {
                await sync;
            }
            catch (OperationCanceledException)
            {
                // Leading ended.
            }
        }
    }

    /// <summary>Starts and stops lattice workers as deployments come and go; wakes the one a request names.</summary>
    private async Task SyncLoopAsync(CancellationToken cancellationToken)
    {
        await SyncAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var resync = false;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_workers.Count == 0 || _retry ? settings.Value.LeaderRetry : settings.Value.SyncInterval);
                try
                {
                    var latticeId = await _requests.Reader.ReadAsync(timeout.Token);
                    resync = latticeId is null || !_workers.ContainsKey(latticeId);
                    if (latticeId is not null && _workers.TryGetValue(latticeId, out var worker)) worker.Reconciler.Wake();
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    resync = true;
                }
            }

            if (resync) await SyncAsync(cancellationToken);
        }
    }

    private volatile bool _retry;

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> lattices;
        try
        {
            lattices = await desired.LatticesAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogSyncFailed("database", e.Message);
            _retry = true;
            return;
        }

        var failed = false;
        foreach (var latticeId in lattices.Where(l => !_workers.ContainsKey(l)))
        {
            try
            {
                _workers[latticeId] = await LatticeWorker.StartAsync(latticeId, runtime, desired, scopes, settings.Value.ToReconcilerOptions(clock), settings.Value.StatusWriters, logger, cancellationToken);
                LogStarted(latticeId);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // NATS away or the tenant's account not reachable yet: the rows wait in the database.
                LogSyncFailed(latticeId, e.Message);
                failed = true;
            }
        }

        foreach (var latticeId in _workers.Keys.Except(lattices).ToList()) await StopAsync(latticeId);
        _retry = failed;
        await runtime.CloseIdleAsync();
    }

    private async Task StopAsync(string latticeId)
    {
        if (!_workers.TryRemove(latticeId, out var worker)) return;
        Interlocked.Add(ref _commandsSentByStopped, worker.Reconciler.CommandsSent);
        await worker.DisposeAsync();
        runtime.Hold(latticeId, false);
    }

    private async Task StopAllAsync()
    {
        foreach (var latticeId in _workers.Keys.ToList()) await StopAsync(latticeId);
    }

    [LoggerMessage(LogLevel.Information, "This replica holds the reconciler lock and reconciles")]
    private partial void LogLeading();

    [LoggerMessage(LogLevel.Warning, "Lost the reconciler lock ({Error}); reconciling stops until it is taken again")]
    private partial void LogLostLock(string error);

    [LoggerMessage(LogLevel.Debug, "Cannot try the reconciler lock now: {Error}")]
    private partial void LogLockUnavailable(string error);

    [LoggerMessage(LogLevel.Information, "Reconciling lattice {Lattice}")]
    private partial void LogStarted(string lattice);

    [LoggerMessage(LogLevel.Warning, "Cannot reconcile {Lattice} yet: {Error}; retrying")]
    private partial void LogSyncFailed(string lattice, string error);
}
