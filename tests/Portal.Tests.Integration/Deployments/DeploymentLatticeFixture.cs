using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portal.Host;
using Portal.Host.Configuration;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Testing;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Deployments;

/// <summary>
/// A reconciling portal, a tenant with lattice <c>dev</c>, the hello CGI actor uploaded as
/// <c>hello:1</c> and <c>hello:2</c>, and three of our hosts in that lattice (zones a, b, b) that pull
/// from the portal's OCI registry with a host credential of the lattice.
/// </summary>
public sealed class DeploymentLatticeFixture(PortalServers servers) : IAsyncLifetime
{
    public const string Slug = "deploy-e2e";
    private readonly List<LatticeHost> _hosts = [];
    private NatsConnection _connection = null!;

    public PortalServers Servers { get; } = servers;

    public ReconcilingPortal Portal { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public string Lattice => $"{Slug}-dev";

    public string Registry => new Uri(Portal.BaseUrl).Authority;

    public IReadOnlyList<LatticeHost> Hosts => _hosts;

    public LatticeClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = CancellationToken.None;
        Portal = new ReconcilingPortal(Servers);
        await Portal.InitializeAsync();
        var scenario = new PortalScenario(Portal);
        var owner = await scenario.UserAsync($"owner@{Slug}.test");
        await scenario.TenantAsync(owner, Slug);
        Api = new HttpClient { BaseAddress = new Uri(Portal.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await scenario.TokenAsync(Slug, owner, "read", "write", "deploy", "admin"));
        (await Api.PostAsJsonAsync($"/api/v1/tenants/{Slug}/lattices", new { name = "dev" }, ct)).EnsureSuccessStatusCode();
        var wasm = await ActorBuilder.CgiModuleAsync("hello", ct);
        foreach (var tag in new[] { "1", "2" })
        {
            var content = new ByteArrayContent(wasm);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
            (await Api.PostAsync($"/api/v1/tenants/{Slug}/artifacts?name=hello&tag={tag}", content, ct)).EnsureSuccessStatusCode();
        }

        var issued = await (await Api.PostAsJsonAsync($"/api/v1/tenants/{Slug}/lattices/dev/credentials", new { name = "edge" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        var natsUser = issued.GetProperty("credential").GetProperty("natsUser").GetString()!;
        var password = issued.GetProperty("password").GetString()!;

        foreach (var zone in new[] { "a", "b", "b" })
        {
            var host = new LatticeHost(new HostOptions
            {
                NatsHost = "127.0.0.1", NatsPort = Servers.Nats.Port, Lattice = Lattice, EngineWorkers = 1,
                OciRegistry = Registry, OciUser = natsUser, OciPassword = password,
                HeartbeatInterval = TimeSpan.FromSeconds(1), Labels = new() { ["zone"] = zone },
            }, LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)));
            await host.StartAsync(ct);
            _hosts.Add(host);
        }

        _connection = new NatsConnection(new NatsOpts { Url = Servers.Nats.Url });
        await _connection.ConnectAsync(ct);
        Client = new LatticeClient(_connection, new LatticeClientOptions { Lattice = Lattice, Timeout = TimeSpan.FromSeconds(5) });
    }

    public string ImageRef(string tag) => $"{Registry}/{Slug}/hello:{tag}";

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
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

/// <summary>The deployment tests run alone: they bind free ports for the HTTP provider and share three hosts.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeploymentLatticeCollection : ICollectionFixture<DeploymentLatticeFixture>
{
    public const string Name = "Deployments on three hosts";
}
