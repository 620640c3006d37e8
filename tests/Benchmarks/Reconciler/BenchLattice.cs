using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Api.Applications;
using Portal.Api.Deployments;
using Portal.Data.Applications;
using Portal.Data.Tenants;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Lattice.Observation;
using Portal.Lattice.Reconciliation;
using Portal.Testing;

namespace Benchmarks.Reconciler;

/// <summary>
/// What S4 and S5 share: Postgres with 200 deployment rows (the status writes are real), a
/// nats-server, 20 light hosts in 5 zones, an observer and 200 applications of 5 instances
/// spread over the 5 zones (wadm semantics: one instance per zone, so 5 commands per app).
/// </summary>
internal sealed class BenchLattice : IAsyncDisposable
{
    public const int Apps = 200;
    public const int Instances = 5;
    public const int Zones = 5;
    public const int HostCount = 20;
    public const int MaxInFlight = 16;
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ReapAfter = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan ReapInterval = TimeSpan.FromMilliseconds(100);

    private PortalServers _servers = null!;
    private NatsConnection _connection = null!;

    public string Lattice { get; } = "bench" + Guid.NewGuid().ToString("N")[..8];

    public string ConnectionString { get; private set; } = "";

    public List<LightHost> Hosts { get; } = [];

    public LatticeClient Client { get; private set; } = null!;

    public LatticeObserver Observer { get; private set; } = null!;

    public DesiredLattice Desired { get; private set; } = DesiredLattice.Empty;

    public static async Task<BenchLattice> StartAsync()
    {
        var bench = new BenchLattice();
        bench._servers = new PortalServers();
        await bench._servers.InitializeAsync();
        bench.ConnectionString = await bench._servers.CreateDatabaseAsync();
        await bench.SeedRowsAsync();

        var shared = new SharedLatticeData();
        for (var i = 0; i < HostCount; i++)
        {
            bench.Hosts.Add(await LightHost.StartAsync(bench._servers.Nats.Url, bench.Lattice, new() { ["zone"] = $"z{i % Zones}" }, shared, Heartbeat));
        }

        bench._connection = new NatsConnection(new NatsOpts { Url = bench._servers.Nats.Url, Name = "bench-reconciler" });
        await bench._connection.ConnectAsync();
        bench.Client = new LatticeClient(bench._connection, new LatticeClientOptions { Lattice = bench.Lattice, Timeout = TimeSpan.FromSeconds(5) });
        bench.Observer = new LatticeObserver(bench._connection, new LatticeObserverOptions
        {
            Lattice = bench.Lattice, SeedWindow = TimeSpan.FromSeconds(1), ReapAfter = ReapAfter, ReapInterval = ReapInterval,
        });
        await bench.Observer.StartAsync();
        var deadline = Stopwatch.StartNew();
        while (bench.Observer.Snapshot.Hosts.Count < HostCount && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);

        var spreads = Enumerable.Range(0, Zones).Select(z => new Spread($"z{z}", new Dictionary<string, string> { ["zone"] = $"z{z}" })).ToList();
        bench.Desired = new DesiredLattice(
            Enumerable.Range(0, Apps).Select(i => new AppScalers(AppName(i), "1",
            [
                new ComponentSpreadScaler { AppName = AppName(i), ComponentName = "c", ComponentId = $"{AppName(i)}-c", ImageRef = "file:///c.wasm", Instances = Instances, Spreads = spreads },
            ])).ToList(),
            []);
        return bench;
    }

    public static string AppName(int i) => $"app{i:D3}";

    /// <summary>The minimal command set: one component.scale per app and spread.</summary>
    public static int MinimalCommands => Apps * Zones;

    public ReconcilerOptions Options => new() { MaxInFlight = MaxInFlight, PassInterval = TimeSpan.FromSeconds(10) };

    private static readonly DeploymentStatusFeed StatusFeed = new(NullLogger<DeploymentStatusFeed>.Instance);

    /// <summary>A writer on a context of its own, as the portal's status pump uses one per write.</summary>
    public async Task<bool> WriteStatusAsync(string app, DeploymentStatusReport report)
    {
        await using var db = PortalServers.CreateContext(ConnectionString);
        // The feed makes each write NOTIFY other replicas, as the portal's writer does.
        var writer = new DeploymentStatusWriter(db, new ApplicationTimeline(db, TimeProvider.System), TimeProvider.System, StatusFeed);
        return await writer.RecordStatusAsync(Lattice, app, report);
    }

    /// <summary>Median request/reply round trip of component.scale to one host (the command the reconciler sends), over N sequential calls.</summary>
    public async Task<TimeSpan> MeasureRoundTripAsync(int samples = 300)
    {
        var times = new List<double>();
        var host = Hosts[^1].HostId;
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var reply = await Client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = "rtt-probe", ComponentRef = "file:///probe.wasm", HostId = host, MaxInstances = (uint)(i % 2) });
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!reply.Success) throw new InvalidOperationException(reply.Message);
        }

        return TimeSpan.FromMilliseconds(Median(times));
    }

    /// <summary>Median time of one status write that changes the status type (as every first report does), on app 0's row, which is then put back.</summary>
    public async Task<TimeSpan> MeasureStatusWriteAsync(int samples = 60)
    {
        var times = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var report = new DeploymentStatusReport(i % 2 == 0 ? DeploymentStatusType.Reconciling : DeploymentStatusType.Waiting, $"sample {i}");
            var started = Stopwatch.GetTimestamp();
            await WriteStatusAsync(AppName(0), report);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        await WriteStatusAsync(AppName(0), new DeploymentStatusReport(DeploymentStatusType.Waiting, null));
        return TimeSpan.FromMilliseconds(Median(times));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private async Task SeedRowsAsync()
    {
        await using var db = PortalServers.CreateContext(ConnectionString);
        var tenant = new Tenant { Slug = "bench", DisplayName = "Bench" };
        var lattice = new Portal.Data.Tenants.Lattice { TenantId = tenant.Id, Name = "dev", LatticeId = Lattice };
        db.Add(tenant);
        db.Add(lattice);
        for (var i = 0; i < Apps; i++)
        {
            var app = new Application { TenantId = tenant.Id, Name = AppName(i), CreatedBy = "bench" };
            var version = new ApplicationVersion
            {
                TenantId = tenant.Id, ApplicationId = app.Id, Version = "1", Submitted = "{}", SubmittedFormat = "json",
                Canonical = "{}", Digest = "sha256:bench", CreatedBy = "bench",
            };
            db.AddRange(app, version, new Deployment
            {
                TenantId = tenant.Id, ApplicationId = app.Id, LatticeId = lattice.Id, DesiredVersionId = version.Id, DesiredState = DesiredState.Deployed,
                StatusType = DeploymentStatusType.Waiting, DeployedBy = "bench", DeployedAt = DateTimeOffset.UtcNow, StatusUpdatedAt = DateTimeOffset.UtcNow,
            });
        }

        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Observer.DisposeAsync();
        foreach (var host in Hosts) await host.DisposeAsync();
        await _connection.DisposeAsync();
        await _servers.DisposeAsync();
    }
}
