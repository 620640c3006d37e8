using Microsoft.Extensions.Logging;
using Portal.Host;
using Portal.Host.Configuration;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Lattice.Observation;
using Portal.Testing.Actors;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Reconciliation;

/// <summary>
/// Three of our hosts on a private nats-server: one in zone <c>a</c>, two in zone <c>b</c> (so a lost
/// zone-b host can be replaced), 1 s heartbeats; an observer that reaps silent hosts after 3 s;
/// the hello and echo CGI actors written to files for <c>file://</c> references.
/// </summary>
public sealed class ReconcilerLatticeFixture : IAsyncLifetime
{
    private readonly ScratchDirectory _dir = ScratchDirectory.Create("reconciler-lattice");
    private readonly List<LatticeHost> _hosts = [];

    public NatsServer Nats { get; private set; } = null!;

    public string Lattice { get; } = $"r{Guid.NewGuid():N}"[..16];

    public NatsConnection Connection { get; private set; } = null!;

    public LatticeClient Client { get; private set; } = null!;

    public LatticeObserver Observer { get; private set; } = null!;

    public IReadOnlyList<LatticeHost> Hosts => _hosts;

    public string HelloImage { get; private set; } = "";

    public string EchoImage { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var ct = CancellationToken.None;
        Nats = await NatsServer.StartAsync(cancellationToken: ct);
        HelloImage = await WriteAsync("hello.wasm", await ActorBuilder.CgiModuleAsync("hello", ct));
        EchoImage = await WriteAsync("echo.wasm", await ActorBuilder.CgiModuleAsync("echo", ct));
        Connection = new NatsConnection(new NatsOpts { Url = Nats.Url });
        await Connection.ConnectAsync(ct);
        Client = new LatticeClient(Connection, new LatticeClientOptions { Lattice = Lattice, AuctionTimeout = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(5) });
        foreach (var zone in new[] { "a", "b", "b" })
        {
            var host = new LatticeHost(new HostOptions
            {
                NatsHost = "127.0.0.1", NatsPort = Nats.Port, Lattice = Lattice, AllowFileLoad = true,
                HeartbeatInterval = TimeSpan.FromSeconds(1), Labels = new() { ["zone"] = zone }, EngineWorkers = 1,
                FirstHealthCheck = TimeSpan.FromMilliseconds(300), HealthCheckInterval = TimeSpan.FromSeconds(1),
            }, LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)));
            await host.StartAsync(ct);
            _hosts.Add(host);
        }

        Observer = new LatticeObserver(Connection, new LatticeObserverOptions
        {
            Lattice = Lattice, SeedWindow = TimeSpan.FromMilliseconds(500),
            ReapAfter = TimeSpan.FromSeconds(3), ReapInterval = TimeSpan.FromMilliseconds(250),
        });
        await Observer.StartAsync(ct);
    }

    private async Task<string> WriteAsync(string fileName, byte[] wasm)
    {
        var path = Path.Combine(_dir.Path, fileName);
        await File.WriteAllBytesAsync(path, wasm);
        return "file://" + path;
    }

    public async ValueTask DisposeAsync()
    {
        if (Observer is not null) await Observer.DisposeAsync();
        foreach (var host in _hosts)
        {
            try
            {
                await host.DisposeAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // A host a test killed is already gone.
            }
        }

        if (Connection is not null) await Connection.DisposeAsync();
        if (Nats is not null) await Nats.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>The reconciler's integration tests run one after another on their own three hosts.</summary>
[CollectionDefinition(Name)]
public sealed class ReconcilerLatticeCollection : ICollectionFixture<ReconcilerLatticeFixture>
{
    public const string Name = "Reconciler on three hosts";
}
