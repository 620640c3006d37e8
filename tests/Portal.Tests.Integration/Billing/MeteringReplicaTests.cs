using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Api.Lattices;
using Portal.Data.Billing;
using Portal.Host;
using Portal.Host.Configuration;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Lattice.Reconciliation;
using Portal.Testing;
using Portal.Testing.Actors;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Billing;

/// <summary>
/// Two portal replicas on one database both sample the same lattice every second and both receive
/// every invocation report of our host: usage is written once per period and invocations once.
/// </summary>
public sealed class MeteringReplicaTests(PortalServers servers) : IAsyncLifetime
{
    private const string Slug = "meter-twice";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ScratchDirectory _dir = ScratchDirectory.Create("metering");
    private MeteringPortal _first = null!;
    private MeteringPortal _second = null!;
    private LatticeHost _host = null!;
    private NatsConnection _connection = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string LatticeId => $"{Slug}-dev";

    public async ValueTask InitializeAsync()
    {
        _first = new MeteringPortal(servers);
        await _first.InitializeAsync();
        var scenario = new PortalScenario(_first);
        var owner = await scenario.UserAsync($"owner@{Slug}.test");
        await scenario.TenantAsync(owner, Slug);
        var context = await scenario.ContextAsync(Slug, owner);
        await _first.WithScopeAsync(sp => sp.GetRequiredService<LatticeService>().CreateAsync(context, new CreateLatticeRequest("dev")));
        _second = new MeteringPortal(servers, _first.ConnectionString);
        await _second.InitializeAsync();

        _connection = new NatsConnection(new NatsOpts { Url = servers.Nats.Url });
        await _connection.ConnectAsync(Ct);
        _host = new LatticeHost(new HostOptions
        {
            NatsPort = servers.Nats.Port, Lattice = LatticeId, AllowFileLoad = true, EngineWorkers = 1,
            HeartbeatInterval = TimeSpan.FromSeconds(1), MetricsInterval = TimeSpan.FromMilliseconds(200),
        }, LoggerFactory.Create(l => l.SetMinimumLevel(LogLevel.Warning)));
        await _host.StartAsync(Ct);
    }

    [Fact]
    public async Task Two_replicas_write_each_period_once_and_count_each_invocation_once()
    {
        var client = new LatticeClient(_connection, new LatticeClientOptions { Lattice = LatticeId, Timeout = TimeSpan.FromSeconds(5) });
        var path = Path.Combine(_dir.Path, "echo.wasm");
        await File.WriteAllBytesAsync(path, await ActorBuilder.CgiModuleAsync("echo", Ct), Ct);
        var scaled = await client.ScaleComponentAsync(new ScaleComponentCommand
        {
            ComponentId = "shop-echo", ComponentRef = "file://" + path, MaxInstances = 3, HostId = _host.HostId,
            Annotations = ScalerAnnotations.ForApp("shop"),
        }, Ct);
        Assert.True(scaled.Success, scaled.Message);
        var port = FreePort.Next();
        Assert.True((await client.StartProviderAsync(new StartProviderCommand { ProviderId = "meter-http", ProviderRef = "wasmcloud+builtin://http-server", HostId = _host.HostId }, Ct)).Success);
        await client.PutConfigAsync("meter-http-address", new Dictionary<string, string> { ["address"] = $"127.0.0.1:{port}" }, Ct);
        Assert.True((await client.PutLinkAsync(new Link
        {
            SourceId = "meter-http", Target = "shop-echo", WitNamespace = "wasi", WitPackage = "http",
            Interfaces = ["incoming-handler"], SourceConfig = ["meter-http-address"],
        }, Ct)).Success);

        // Both replicas start metering (touching Services starts them).
        Assert.NotNull(_first.Metering);
        Assert.NotNull(_second.Metering);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Created, (await GetAsync(port)).StatusCode);

        // Wait for several sampled periods on both replicas, and for the invocation reports.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !(await ActorPeriodsAsync() >= 4 && await InvocationsAsync() >= 5 && _first.Metering.PeriodsSampled >= 3 && _second.Metering.PeriodsSampled >= 3))
            await Task.Delay(250, Ct);
        // More reports keep arriving at both replicas (every 200 ms) and change nothing.
        await Task.Delay(1500, Ct);

        Assert.True(_first.Metering.PeriodsSampled >= 3 && _second.Metering.PeriodsSampled >= 3, "both replicas sampled");
        Assert.Equal(5m, await InvocationsAsync());
        await using var db = _first.CreateDbContext();
        var rows = await db.UsageRecords.IgnoreQueryFilters().Where(u => u.LatticeId == LatticeId).ToListAsync(Ct);
        var actor = rows.Where(r => r.Unit == BillingUnit.ActorInstanceSeconds).ToList();
        Assert.True(actor.Count >= 4);
        // Once the scale was observed, each one-second period holds 3 instances × 1 s — not 6, as two writers would make it.
        Assert.All(actor, r => Assert.Equal(("shop", 3m), (r.Application, r.Quantity)));
        // The provider was started without wadm's annotations: it belongs to no application.
        Assert.All(rows.Where(r => r.Unit == BillingUnit.ProviderInstanceSeconds), r => Assert.Equal(("", 1m), (r.Application, r.Quantity)));
        Assert.All(rows.Where(r => r.Unit == BillingUnit.InvocationsPerMonth), r => Assert.Equal("shop", r.Application));
        Assert.Equal(rows.Count, rows.Select(r => (r.Application, r.Unit, r.PeriodStart)).Distinct().Count());

        // A report replayed late (same boot, an old sequence) adds nothing.
        var mark = await db.InvocationMarks.SingleAsync(m => m.LatticeId == LatticeId, Ct);
        var stale = new InvocationMetricsEvent
        {
            HostId = _host.HostId, BootId = mark.BootId, Sequence = 1, CountingSince = DateTimeOffset.UtcNow.AddMinutes(-1), ReadAt = DateTimeOffset.UtcNow,
            Components = new Dictionary<string, InvocationCounts> { ["shop-echo"] = new(5, 0) },
        };
        await _connection.PublishAsync($"wasmbus.evt.{LatticeId}.component_invocations", LatticeJson.Serialize(LatticeEvents.Create(InvocationMetricsEvent.EventName, _host.HostId, stale)), cancellationToken: Ct);
        await Task.Delay(1000, Ct);
        Assert.Equal(5m, await InvocationsAsync());
    }

    private async Task<int> ActorPeriodsAsync()
    {
        await using var db = _first.CreateDbContext();
        return await db.UsageRecords.IgnoreQueryFilters().CountAsync(u => u.LatticeId == LatticeId && u.Unit == BillingUnit.ActorInstanceSeconds, Ct);
    }

    private async Task<decimal> InvocationsAsync()
    {
        await using var db = _first.CreateDbContext();
        return await db.UsageRecords.IgnoreQueryFilters().Where(u => u.LatticeId == LatticeId && u.Unit == BillingUnit.InvocationsPerMonth).SumAsync(u => u.Quantity, Ct);
    }

    private static async Task<HttpResponseMessage> GetAsync(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var response = await Http.GetAsync($"http://127.0.0.1:{port}/buy", Ct);
                // 503 until the scale has loaded the actor on the host.
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt >= 200) return response;
            }
            catch (HttpRequestException) when (attempt < 200)
            {
            }

            await Task.Delay(100, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _connection.DisposeAsync();
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        _dir.Dispose();
    }
}
