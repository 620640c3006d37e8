using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portal.Host;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Testing.Actors;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>
/// Requests served by our host through its HTTP server provider show up, per component and outcome,
/// in the cumulative reports on <c>wasmbus.evt.{lattice}.component_invocations</c>.
/// </summary>
public sealed class InvocationMetricsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ScratchDirectory _dir = ScratchDirectory.Create("invocation-metrics");
    private readonly string _lattice = $"m{Guid.NewGuid():N}"[..16];
    private NatsServer _nats = null!;
    private NatsConnection _connection = null!;
    private LatticeClient _client = null!;
    private EventRecorder _events = null!;
    private LatticeHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _nats = await NatsServer.StartAsync(cancellationToken: Ct);
        _connection = new NatsConnection(new NatsOpts { Url = _nats.Url });
        await _connection.ConnectAsync(Ct);
        _events = await EventRecorder.StartAsync(_connection, _lattice, Ct);
        _client = new LatticeClient(_connection, new LatticeClientOptions { Lattice = _lattice, Timeout = TimeSpan.FromSeconds(5) });
        _host = new LatticeHost(new Portal.Host.Configuration.HostOptions
        {
            NatsPort = _nats.Port,
            Lattice = _lattice,
            AllowFileLoad = true,
            EngineWorkers = 1,
            MetricsInterval = TimeSpan.FromMilliseconds(300),
        }, LoggerFactory.Create(l => l.SetMinimumLevel(LogLevel.Warning)));
        await _host.StartAsync(Ct);
    }

    [Fact]
    public async Task Counts_requests_per_component_by_outcome_cumulatively_under_one_boot()
    {
        var (echoPort, trapPort) = (FreePort.Next(), FreePort.Next());
        await ScaleAsync("m-echo", await WriteAsync("echo"));
        await ScaleAsync("m-trap", await WriteAsync("trap"));
        await ServeAsync("m-http-echo", "m-echo", echoPort);
        await ServeAsync("m-http-trap", "m-trap", trapPort);

        for (var i = 0; i < 3; i++)
        {
            using var answer = await GetAsync(echoPort);
            Assert.True(answer.StatusCode == HttpStatusCode.Created, await answer.Content.ReadAsStringAsync(Ct));
        }
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.InternalServerError, (await GetAsync(trapPort)).StatusCode);

        var first = await WaitForAsync(r => r.Components.GetValueOrDefault("m-echo")?.Ok == 3 && r.Components.GetValueOrDefault("m-trap")?.Error == 2);
        Assert.Equal(_host.HostId, first.HostId);
        Assert.Equal(new InvocationCounts(3, 0), first.Components["m-echo"]);
        Assert.Equal(new InvocationCounts(0, 2), first.Components["m-trap"]);

        // Counts keep growing under the same boot id with a higher sequence: readers take differences.
        Assert.Equal(HttpStatusCode.Created, (await GetAsync(echoPort)).StatusCode);
        var later = await WaitForAsync(r => r.Components.GetValueOrDefault("m-echo")?.Ok == 4);
        Assert.Equal(first.BootId, later.BootId);
        Assert.True(later.Sequence > first.Sequence);
        Assert.Equal(new InvocationCounts(0, 2), later.Components["m-trap"]);
        Assert.True(later.ReadAt >= first.ReadAt && first.CountingSince <= first.ReadAt);

        // Every report went to the documented subject as a CloudEvent from this host.
        Assert.All(_events.All.Where(e => e.Event.Type == LatticeEvents.TypeOf(InvocationMetricsEvent.EventName)), e =>
        {
            Assert.Equal($"wasmbus.evt.{_lattice}.component_invocations", e.Subject);
            Assert.Equal(_host.HostId, e.Event.Source);
        });
    }

    private async Task<InvocationMetricsEvent> WaitForAsync(Func<InvocationMetricsEvent, bool> match)
    {
        var e = await _events.WaitAsync(InvocationMetricsEvent.EventName, d => match(Read(d)), TimeSpan.FromSeconds(30), Ct);
        return Read(e.Data);
    }

    private static InvocationMetricsEvent Read(JsonElement data) => data.Deserialize<InvocationMetricsEvent>(LatticeJson.Options)!;

    private static async Task<HttpResponseMessage> GetAsync(int port)
    {
        // The listener may start a moment after the link is put.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await Http.GetAsync($"http://127.0.0.1:{port}/x", Ct);
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(100, Ct);
            }
        }
    }

    private async Task<string> WriteAsync(string name)
    {
        var path = Path.Combine(_dir.Path, name + ".wasm");
        await File.WriteAllBytesAsync(path, await ActorBuilder.CgiModuleAsync(name, Ct), Ct);
        return "file://" + path;
    }

    private async Task ScaleAsync(string id, string image)
    {
        var reply = await _client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = id, ComponentRef = image, MaxInstances = 1, HostId = _host.HostId }, Ct);
        Assert.True(reply.Success, reply.Message);
        await _events.WaitAsync(LatticeEvents.ComponentScaled, d => d.GetProperty("component_id").GetString() == id, TimeSpan.FromSeconds(120), Ct);
    }

    private async Task ServeAsync(string providerId, string componentId, int port)
    {
        var started = await _client.StartProviderAsync(new StartProviderCommand { ProviderId = providerId, ProviderRef = "wasmcloud+builtin://http-server", HostId = _host.HostId }, Ct);
        Assert.True(started.Success, started.Message);
        await _events.WaitAsync(LatticeEvents.ProviderStarted, d => d.GetProperty("provider_id").GetString() == providerId, cancellationToken: Ct);
        await _client.PutConfigAsync($"{providerId}-address", new Dictionary<string, string> { ["address"] = $"127.0.0.1:{port}" }, Ct);
        var link = await _client.PutLinkAsync(new Link
        {
            SourceId = providerId, Target = componentId, WitNamespace = "wasi", WitPackage = "http",
            Interfaces = ["incoming-handler"], SourceConfig = [$"{providerId}-address"],
        }, Ct);
        Assert.True(link.Success, link.Message);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _events.DisposeAsync();
        await _connection.DisposeAsync();
        await _nats.DisposeAsync();
        _dir.Dispose();
    }
}
