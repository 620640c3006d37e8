using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Api.Deployments.Runtime;
using Portal.Data;
using Portal.Data.Billing;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Lattice.Observation;

namespace Portal.Api.Billing.Metering;

/// <summary>
/// Runs on every replica. At the start of each metering period it samples every lattice of every
/// tenant (observers from <see cref="LatticeRuntime"/>, started here for lattices nobody else
/// observes, e.g. ones without deployments) and the tenants' stored artifact bytes, and writes them
/// insert-or-nothing under the period key; it also listens to every lattice's invocation reports.
/// Replicas need no election: the period key and the invocation marks make their writes count once.
/// </summary>
public sealed class MeteringService(
    IDbContextFactory<PortalDbContext> contexts,
    LatticeRuntime runtime,
    TenantNatsConnections connections,
    IOptions<MeteringSettings> options,
    TimeProvider clock,
    ILogger<MeteringService> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Listener> _listeners = new(StringComparer.Ordinal);
    private MeteringSettings Settings => options.Value;

    /// <summary>Periods this replica has sampled (for tests and logs).</summary>
    public int PeriodsSampled { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Settings.Enabled) return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ListenAsync(stoppingToken);
                var next = PeriodKey.Next(clock.GetUtcNow(), Settings.Interval);
                await Task.Delay(next - clock.GetUtcNow() + TimeSpan.FromMilliseconds(50), clock, stoppingToken);
                await SampleAsync(next, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Samples every lattice and every tenant's storage into the period starting at <paramref name="periodStart"/>.</summary>
    public async Task SampleAsync(DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var samples = new List<UsageSample>();
            var lattices = await db.Lattices.IgnoreQueryFilters().AsNoTracking().Select(l => new { l.TenantId, l.LatticeId }).ToListAsync(cancellationToken);
            foreach (var lattice in lattices)
            {
                try
                {
                    var observer = await runtime.GetObserverAsync(lattice.LatticeId, cancellationToken);
                    samples.AddRange(LatticeUsage.Sample(lattice.TenantId, observer.Snapshot, Settings.Interval));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // NATS away: this period of this lattice is not metered (never guessed).
                    logger.LogWarning("Metering: lattice {Lattice} not sampled for {Period}: {Error}", lattice.LatticeId, periodStart, e.Message);
                }
            }

            var hours = (decimal)Settings.Interval.TotalHours;
            var stored = await db.Blobs.IgnoreQueryFilters().GroupBy(b => b.TenantId)
                .Select(g => new { TenantId = g.Key, Bytes = g.Sum(b => b.Size) }).ToListAsync(cancellationToken);
            samples.AddRange(stored.Where(s => s.Bytes > 0).Select(s => new UsageSample(s.TenantId, "", "", BillingUnit.StorageByteHours, s.Bytes * hours)));

            var written = await UsageWriter.InsertSamplesAsync(db, periodStart, samples, cancellationToken);
            PeriodsSampled++;
            logger.LogDebug("Metering: period {Period}: {Written} of {Samples} samples written", periodStart, written, samples.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Metering: period {Period} failed", periodStart);
        }
    }

    /// <summary>Subscribes to the invocation reports of lattices not listened to yet.</summary>
    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var lattices = await db.Lattices.IgnoreQueryFilters().AsNoTracking()
                .Select(l => new { l.TenantId, l.LatticeId, l.Tenant!.Slug }).ToListAsync(cancellationToken);
            foreach (var lattice in lattices.Where(l => !_listeners.ContainsKey(l.LatticeId)))
            {
                try
                {
                    var connection = await connections.ForTenantAsync(lattice.Slug, cancellationToken);
                    var subscription = await connection.SubscribeAsync(new LatticeSubjects(lattice.LatticeId).Event(InvocationMetricsEvent.EventName), cancellationToken: cancellationToken);
                    _listeners[lattice.LatticeId] = new Listener(subscription, Task.Run(() => ConsumeAsync(lattice.TenantId, lattice.LatticeId, subscription, cancellationToken), CancellationToken.None));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Metering: cannot listen to invocations of {Lattice}: {Error}", lattice.LatticeId, e.Message);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Metering: listing lattices failed");
        }
    }

    private async Task ConsumeAsync(Guid tenantId, string latticeId, NatsSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var msg in subscription.WithCancellation(cancellationToken))
            {
                try
                {
                    var evt = LatticeEvents.Parse(msg.Data.Span);
                    var report = LatticeJson.Deserialize<InvocationMetricsEvent>(System.Text.Encoding.UTF8.GetBytes(evt.Data.GetRawText()));
                    // Trust the envelope's source (the NATS user of that lattice) over the data's host id.
                    if (report is null || string.IsNullOrEmpty(evt.Source)) continue;
                    report = report with { HostId = evt.Source };
                    await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                    // The observer names each component's application; started (and seeded) here if the sampler has not yet.
                    LatticeSnapshot? snapshot;
                    try
                    {
                        snapshot = (await runtime.GetObserverAsync(latticeId, cancellationToken)).Snapshot;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        snapshot = runtime.Peek(latticeId);
                    }

                    await InvocationIngest.CountAsync(db, tenantId, latticeId, report, snapshot, Settings, clock.GetUtcNow(), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Metering: an invocation report of {Lattice} was not counted: {Error}", latticeId, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var listener in _listeners.Values) await listener.Subscription.DisposeAsync();
        _listeners.Clear();
    }

    private sealed record Listener(NatsSubscription Subscription, Task Loop);
}
