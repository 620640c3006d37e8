using System.Net;
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
using Portal.Testing.Processes;
using Portal.Tests.Integration.Host.Lattice;

namespace Portal.Tests.Integration.Artifacts;

/// <summary>
/// The whole path: an actor uploaded over REST is pulled by our host through the portal's OCI API
/// (the host started with a host credential of the tenant's lattice as its registry credentials),
/// scaled through the control interface, linked to the HTTP server provider, and answers HTTP.
/// Runs alone: its portal listens on a kernel-chosen port, which could otherwise be one that
/// <see cref="FreePort"/> just handed to a parallel test's HTTP provider.
/// </summary>
[Collection(OciHostPullCollection.Name)]
public sealed class OciHostPullTests(PortalServers servers) : IAsyncLifetime
{
    private const string Slug = "oci-e2e";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private PortalWebServer _portal = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _portal = new PortalWebServer(servers);
        await _portal.InitializeAsync();
    }

    public async ValueTask DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task An_actor_uploaded_over_REST_is_pulled_over_OCI_by_our_host_and_answers_HTTP()
    {
        var scenario = new PortalScenario(_portal);
        var owner = await scenario.UserAsync($"owner@{Slug}.test");
        await scenario.TenantAsync(owner, Slug);
        using var api = new HttpClient { BaseAddress = new Uri(_portal.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await scenario.TokenAsync(Slug, owner, "read", "write", "admin"));

        var wasm = await ActorBuilder.CgiModuleAsync("hello", Ct);
        var upload = await api.PostAsync("/api/v1/tenants/oci-e2e/artifacts?name=hello&tag=1", new ByteArrayContent(wasm), Ct);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var layerDigest = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("artifact").GetProperty("digest").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/tenants/oci-e2e/lattices", new { name = "dev" }, Ct)).StatusCode);
        var issued = await (await api.PostAsJsonAsync("/api/v1/tenants/oci-e2e/lattices/dev/credentials", new { name = "edge" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var natsUser = issued.GetProperty("credential").GetProperty("natsUser").GetString()!;
        var password = issued.GetProperty("password").GetString()!;
        var registry = new Uri(_portal.BaseUrl).Authority;
        var lattice = $"{Slug}-dev";

        await using var connection = new NatsConnection(new NatsOpts { Url = servers.Nats.Url });
        await connection.ConnectAsync(Ct);
        await using var events = await EventRecorder.StartAsync(connection, lattice, Ct);
        var client = new LatticeClient(connection, new LatticeClientOptions { Lattice = lattice, Timeout = TimeSpan.FromSeconds(5) });
        using var logs = LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        await using var host = new LatticeHost(new HostOptions
        {
            NatsPort = servers.Nats.Port, Lattice = lattice, EngineWorkers = 1,
            OciRegistry = registry, OciUser = natsUser, OciPassword = password,
        }, logs);
        await host.StartAsync(Ct);

        var imageRef = $"{registry}/{Slug}/hello:1";
        await ScaleAsync(client, host, "hello", imageRef);
        var scaled = await events.WaitAsync(LatticeEvents.ComponentScaled, d => d.GetProperty("component_id").GetString() == "hello", TimeSpan.FromSeconds(120), Ct);
        Assert.Equal(imageRef, scaled.Data.GetProperty("image_ref").GetString());
        Assert.True(host.Fetcher.Cache.Contains(layerDigest), "the pulled wasm is cached by its digest");

        var port = FreePort.Next();
        var started = await client.StartProviderAsync(new StartProviderCommand { ProviderId = "http", ProviderRef = "wasmcloud+builtin://http-server", HostId = host.HostId }, Ct);
        Assert.True(started.Success, started.Message);
        await events.WaitAsync(LatticeEvents.ProviderStarted, d => d.GetProperty("provider_id").GetString() == "http", cancellationToken: Ct);
        await client.PutConfigAsync("http-address", new Dictionary<string, string> { ["address"] = $"127.0.0.1:{port}" }, Ct);
        var link = await client.PutLinkAsync(new Link
        {
            SourceId = "http", Target = "hello", WitNamespace = "wasi", WitPackage = "http", Interfaces = ["incoming-handler"], SourceConfig = ["http-address"],
        }, Ct);
        Assert.True(link.Success, link.Message);

        using var answer = await SendWhenListeningAsync($"http://127.0.0.1:{port}/");
        var text = await answer.Content.ReadAsStringAsync(Ct);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode}: {text}");
        Assert.Equal("Hello from wasm\n", text);

        // Pinned by digest (with the oci:// prefix a wasmCloud ref may carry), the same bytes.
        var manifest = await PullManifestDigestAsync(registry, natsUser, password);
        await ScaleAsync(client, host, "pinned", $"oci://{registry}/{Slug}/hello@{manifest}");
        await events.WaitAsync(LatticeEvents.ComponentScaled, d => d.GetProperty("component_id").GetString() == "pinned", TimeSpan.FromSeconds(120), Ct);

        // What the registry refuses reaches the lattice as component_scale_failed with its reason.
        await ScaleAsync(client, host, "missing", $"{registry}/{Slug}/hello:2");
        var missing = await events.WaitAsync(LatticeEvents.ComponentScaleFailed, d => d.GetProperty("component_id").GetString() == "missing", cancellationToken: Ct);
        Assert.Contains("MANIFEST_UNKNOWN", missing.Data.GetProperty("error").GetString());
        await ScaleAsync(client, host, "latest", $"{registry}/{Slug}/hello");
        var latest = await events.WaitAsync(LatticeEvents.ComponentScaleFailed, d => d.GetProperty("component_id").GetString() == "latest", cancellationToken: Ct);
        Assert.Contains("--allow-latest", latest.Data.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_host_without_registry_credentials_is_refused_and_says_so()
    {
        var scenario = new PortalScenario(_portal);
        var owner = await scenario.UserAsync("owner@oci-anon.test");
        await scenario.TenantAsync(owner, "oci-anon");
        using var api = new HttpClient { BaseAddress = new Uri(_portal.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await scenario.TokenAsync("oci-anon", owner, "read", "write"));
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/tenants/oci-anon/artifacts?name=hello&tag=1", new ByteArrayContent(await ActorBuilder.CgiModuleAsync("hello", Ct)), Ct)).StatusCode);
        var registry = new Uri(_portal.BaseUrl).Authority;
        var lattice = $"anon{Guid.NewGuid():N}"[..16];

        await using var connection = new NatsConnection(new NatsOpts { Url = servers.Nats.Url });
        await connection.ConnectAsync(Ct);
        await using var events = await EventRecorder.StartAsync(connection, lattice, Ct);
        var client = new LatticeClient(connection, new LatticeClientOptions { Lattice = lattice, Timeout = TimeSpan.FromSeconds(5) });
        await using var host = new LatticeHost(new HostOptions { NatsPort = servers.Nats.Port, Lattice = lattice, EngineWorkers = 1 });
        await host.StartAsync(Ct);

        await ScaleAsync(client, host, "hello", $"{registry}/oci-anon/hello:1");
        var failed = await events.WaitAsync(LatticeEvents.ComponentScaleFailed, d => d.GetProperty("component_id").GetString() == "hello", cancellationToken: Ct);
        var error = failed.Data.GetProperty("error").GetString()!;
        Assert.Contains("401", error);
        Assert.Contains("UNAUTHORIZED", error);
        Assert.False(host.Components.IsRunning("hello"));

        // Credentials a registry.put delivers later are used from then on.
        var token = await scenario.TokenAsync("oci-anon", owner, "read");
        await client.PutRegistriesAsync(new Dictionary<string, RegistryCredential> { [registry] = new() { Username = "host", Password = token } }, Ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (host.Fetcher.CredentialFor(Portal.Lattice.Oci.OciReference.Parse($"{registry}/oci-anon/hello:1")) is null && DateTime.UtcNow < deadline) await Task.Delay(25, Ct);
        await ScaleAsync(client, host, "hello", $"{registry}/oci-anon/hello:1");
        await events.WaitAsync(LatticeEvents.ComponentScaled, d => d.GetProperty("component_id").GetString() == "hello", TimeSpan.FromSeconds(120), Ct);
    }

    private async Task<string> PullManifestDigestAsync(string registry, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{registry}/v2/{Slug}/hello/manifests/1");
        request.Headers.Authorization = OciTestClient.Basic(user, password);
        using var response = await Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    private static async Task ScaleAsync(LatticeClient client, LatticeHost host, string id, string image)
    {
        var reply = await client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = id, ComponentRef = image, MaxInstances = 1, HostId = host.HostId }, Ct);
        Assert.True(reply.Success, reply.Message);
    }

    /// <summary>Sends once the provider's listener is up (the link reaches it through the lattice store's watch).</summary>
    private static async Task<HttpResponseMessage> SendWhenListeningAsync(string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var response = await Http.GetAsync(url, Ct);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline) return response;
                response.Dispose();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(50, Ct);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OciHostPullCollection
{
    public const string Name = "OCI host pull (alone)";
}
