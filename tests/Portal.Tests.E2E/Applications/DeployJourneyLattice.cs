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

namespace Portal.Tests.E2E.Applications;

/// <summary>
/// A portal that runs the reconciler, a tenant <c>journey</c> with lattice <c>dev</c>, and one of
/// our hosts in that lattice (label zone=journey) pulling from the portal's OCI registry with a
/// host credential of the lattice, as <c>./portal up</c>'s demo host does.
/// </summary>
public sealed class DeployJourneyLattice(PortalServers servers) : IAsyncLifetime
{
    public const string Slug = "journey";
    public const string Email = "deployer@example.test";
    public const string Zone = "journey";

    private LatticeHost? _host;

    public DeployingPortal Portal { get; } = new(servers);

    public async ValueTask InitializeAsync()
    {
        await Portal.InitializeAsync();
        var scenario = new PortalScenario(Portal);
        var user = await scenario.UserAsync(Email);
        await scenario.TenantAsync(user, Slug);
        var context = await scenario.ContextAsync(Slug, user);
        var lattice = await Portal.WithScopeAsync(sp => sp.GetRequiredService<LatticeService>().CreateAsync(context, new CreateLatticeRequest("dev")));
        // Over REST, as an operator would: the request scopes the services to the tenant.
        using var api = scenario.Client(await scenario.TokenAsync(Slug, user, "read", "write", "admin"));
        var issued = await api.PostAsJsonAsync($"/api/v1/tenants/{Slug}/lattices/dev/credentials", new IssueCredentialRequest("journey-host"), TestContext.Current.CancellationToken);
        issued.EnsureSuccessStatusCode();
        var credential = (await issued.Content.ReadFromJsonAsync<IssuedCredentialResponse>(TestContext.Current.CancellationToken))!;

        // The shared test nats-server does not enforce accounts, so the host joins without a NATS
        // user; the credential still matters: the registry lets only it (or a token) pull.
        _host = new LatticeHost(new HostOptions
        {
            NatsHost = "127.0.0.1", NatsPort = servers.Nats.Port, Lattice = lattice.LatticeId, EngineWorkers = 1,
            OciRegistry = new Uri(Portal.BaseUrl).Authority, OciUser = credential.Credential.NatsUser, OciPassword = credential.Password,
            HeartbeatInterval = TimeSpan.FromSeconds(1), Labels = new() { ["zone"] = Zone },
        }, LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)));
        await _host.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            try
            {
                await _host.DisposeAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // Already gone.
            }
        }

        await Portal.DisposeAsync();
    }
}

/// <summary>
/// The portal on a real socket with the reconciler on and its timings shortened. Unlike the
/// other browser portals its address is known before it starts: artifacts' image references are
/// built from <c>Portal:PublicUrl</c>, and the host must pull them from this portal, not from the
/// default address another portal on the machine may hold.
/// </summary>
public sealed class DeployingPortal(PortalServers servers) : PortalWebFactory(servers)
{
    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public override bool RunsReconciler => true;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var uri = new Uri(BaseUrl);
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, uri.Port));
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
    }
}
