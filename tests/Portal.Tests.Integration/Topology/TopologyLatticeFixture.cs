using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Api.Tenants.Access;
using Portal.Api.Topology;
using Portal.Data.Identity;
using Portal.Host;
using Portal.Host.Configuration;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Testing;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Topology;

/// <summary>
/// The portal on a real socket (hosts pull the hello actor from its OCI registry), without the
/// reconciler, with a reap window far longer than the tests: hosts heartbeat only every 30 s, so
/// what the observer shows during a test came from events, not from a heartbeat that repaired it.
/// </summary>
public sealed class TopologyPortal(PortalServers servers) : PortalWebFactory(servers)
{
    public string BaseUrl { get; private set; } = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:Reconciler:ReapAfter", "00:02:00");
        builder.UseSetting("Portal:Reconciler:SeedWindow", "00:00:00.500");
        builder.UseSetting("Portal:Topology:KeepAlive", "00:00:01");
    }
}

/// <summary>Tenant <c>topo-live</c> with lattice <c>dev</c>, hello:1 uploaded, two of our hosts in dev; tenant <c>topo-other</c> with a lattice of its own.</summary>
public sealed class TopologyLatticeFixture(PortalServers servers) : IAsyncLifetime
{
    public const string Slug = "topo-live";
    public const string OtherSlug = "topo-other";
    private readonly List<LatticeHost> _hosts = [];
    private NatsConnection _connection = null!;

    public PortalServers Servers { get; } = servers;

    public TopologyPortal Portal { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    /// <summary>An owner of <see cref="OtherSlug"/>, a stranger to <see cref="Slug"/>.</summary>
    public HttpClient Stranger { get; private set; } = null!;

    public PortalUser Owner { get; private set; } = null!;

    public string Lattice => $"{Slug}-dev";

    public string ImageRef => $"{new Uri(Portal.BaseUrl).Authority}/{Slug}/hello:1";

    public IReadOnlyList<LatticeHost> Hosts => _hosts;

    /// <summary>A control-interface client of the lattice of its own, as a tool outside the portal would have.</summary>
    public LatticeClient Client { get; private set; } = null!;

    public string Path(string rest) => $"/api/v1/tenants/{Slug}/lattices/dev{rest}";

    public async ValueTask InitializeAsync()
    {
        var ct = CancellationToken.None;
        Portal = new TopologyPortal(Servers);
        await Portal.InitializeAsync();
        var scenario = new PortalScenario(Portal);
        Owner = await scenario.UserAsync($"owner@{Slug}.test");
        await scenario.TenantAsync(Owner, Slug);
        Api = new HttpClient { BaseAddress = new Uri(Portal.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await scenario.TokenAsync(Slug, Owner, "read", "write", "deploy", "admin"));
        (await Api.PostAsJsonAsync($"/api/v1/tenants/{Slug}/lattices", new { name = "dev" }, ct)).EnsureSuccessStatusCode();

        var stranger = await scenario.UserAsync($"owner@{OtherSlug}.test");
        await scenario.TenantAsync(stranger, OtherSlug);
        Stranger = new HttpClient { BaseAddress = new Uri(Portal.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await scenario.TokenAsync(OtherSlug, stranger, "read", "write", "deploy", "admin"));
        (await Stranger.PostAsJsonAsync($"/api/v1/tenants/{OtherSlug}/lattices", new { name = "dev" }, ct)).EnsureSuccessStatusCode();

        var content = new ByteArrayContent(await ActorBuilder.CgiModuleAsync("hello", ct));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        (await Api.PostAsync($"/api/v1/tenants/{Slug}/artifacts?name=hello&tag=1", content, ct)).EnsureSuccessStatusCode();
        var issued = await (await Api.PostAsJsonAsync($"/api/v1/tenants/{Slug}/lattices/dev/credentials", new { name = "edge" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);

        foreach (var zone in new[] { "a", "b" })
        {
            var host = new LatticeHost(new HostOptions
            {
                NatsHost = "127.0.0.1", NatsPort = Servers.Nats.Port, Lattice = Lattice, EngineWorkers = 1,
                OciRegistry = new Uri(Portal.BaseUrl).Authority,
                OciUser = issued.GetProperty("credential").GetProperty("natsUser").GetString()!, OciPassword = issued.GetProperty("password").GetString()!,
                HeartbeatInterval = TimeSpan.FromSeconds(30), Labels = new() { ["zone"] = zone },
            }, LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)));
            await host.StartAsync(ct);
            _hosts.Add(host);
        }

        _connection = new NatsConnection(new NatsOpts { Url = Servers.Nats.Url });
        await _connection.ConnectAsync(ct);
        Client = new LatticeClient(_connection, new LatticeClientOptions { Lattice = Lattice, Timeout = TimeSpan.FromSeconds(10) });
    }

    /// <summary>The portal's topology service as the console uses it: in a scope of its own, for the owner.</summary>
    public Task<T> WithTopologyAsync<T>(Func<TopologyService, TenantContext, Task<T>> action) =>
        Portal.WithScopeAsync(async sp =>
        {
            var context = await sp.GetRequiredService<TenantAccess>().ResolveAsync(Slug, PortalScenario.Principal(Owner));
            return await action(sp.GetRequiredService<TopologyService>(), context);
        });

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        Stranger?.Dispose();
        foreach (var host in _hosts)
        {
            try
            {
                await host.DisposeAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // Already gone.
            }
        }

        if (_connection is not null) await _connection.DisposeAsync();
        if (Portal is not null) await Portal.DisposeAsync();
    }
}

/// <summary>The topology tests share two hosts and the events they cause: one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TopologyLatticeCollection : ICollectionFixture<TopologyLatticeFixture>
{
    public const string Name = "Topology of a live lattice";
}
