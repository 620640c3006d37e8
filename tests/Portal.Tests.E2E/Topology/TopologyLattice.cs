using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Api.Lattices;
using Portal.Api.Lattices.Credentials;
using Portal.Host;
using Portal.Host.Configuration;
using Portal.Testing;
using Portal.Testing.Processes;

namespace Portal.Tests.E2E.Topology;

/// <summary>
/// A reconciling portal with short heartbeat, stale and reap windows, a tenant <c>topo</c> with
/// lattice <c>dev</c> and a host credential for it. Tests start our hosts in the lattice as they
/// need them (<see cref="StartHostAsync"/>); every host is stopped at the end.
/// </summary>
public sealed class TopologyLattice(PortalServers servers) : IAsyncLifetime
{
    public const string Slug = "topo";
    public const string Email = "topologist@example.test";

    /// <summary>Hosts heartbeat every second: stale after 3 s of silence, removed after 8 s.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    private readonly List<LatticeHost> _hosts = [];
    private IssuedCredentialResponse _credential = null!;

    public TopologyPortal Portal { get; } = new(servers);

    public string LatticeId { get; private set; } = "";

    /// <summary>A REST client with read, write and deploy on the tenant.</summary>
    public HttpClient Api { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Portal.InitializeAsync();
        var scenario = new PortalScenario(Portal);
        var user = await scenario.UserAsync(Email);
        await scenario.TenantAsync(user, Slug);
        var context = await scenario.ContextAsync(Slug, user);
        LatticeId = (await Portal.WithScopeAsync(sp => sp.GetRequiredService<LatticeService>().CreateAsync(context, new CreateLatticeRequest("dev")))).LatticeId;
        Api = scenario.Client(await scenario.TokenAsync(Slug, user, "read", "write", "deploy", "admin"));
        var issued = await Api.PostAsJsonAsync($"/api/v1/tenants/{Slug}/lattices/dev/credentials", new IssueCredentialRequest("topology-hosts"), TestContext.Current.CancellationToken);
        issued.EnsureSuccessStatusCode();
        _credential = (await issued.Content.ReadFromJsonAsync<IssuedCredentialResponse>(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Starts one of our hosts in the lattice, pulling from the portal's registry with the lattice's credential.</summary>
    public async Task<LatticeHost> StartHostAsync(Dictionary<string, string> labels)
    {
        // The shared test nats-server does not enforce accounts: the host joins without a NATS user.
        var host = new LatticeHost(new HostOptions
        {
            NatsHost = "127.0.0.1", NatsPort = servers.Nats.Port, Lattice = LatticeId, EngineWorkers = 1,
            OciRegistry = new Uri(Portal.BaseUrl).Authority, OciUser = _credential.Credential.NatsUser, OciPassword = _credential.Password,
            HeartbeatInterval = Heartbeat, Labels = labels,
        }, LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)));
        lock (_hosts) _hosts.Add(host);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            try
            {
                await host.DisposeAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // Already gone (aborted by the test).
            }
        }

        Api?.Dispose();
        await Portal.DisposeAsync();
    }
}

/// <summary>The portal on a known address (hosts pull artifacts from it), reconciling, with short lattice timings.</summary>
public sealed class TopologyPortal(PortalServers servers) : PortalWebFactory(servers)
{
    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public override bool RunsReconciler => true;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, new Uri(BaseUrl).Port));
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:PublicUrl", BaseUrl);
        builder.UseSetting("Portal:Reconciler:PassInterval", "00:00:01");
        builder.UseSetting("Portal:Reconciler:LeaderRetry", "00:00:01");
        builder.UseSetting("Portal:Reconciler:SyncInterval", "00:00:02");
        builder.UseSetting("Portal:Reconciler:SeedWindow", "00:00:00.500");
        builder.UseSetting("Portal:Reconciler:ReapAfter", "00:00:08");
        builder.UseSetting("Portal:Reconciler:ReapInterval", "00:00:00.250");
        builder.UseSetting("Portal:Topology:StaleAfter", "00:00:03");
        builder.UseSetting("Portal:Topology:StaleCheckInterval", "00:00:00.250");
    }
}
