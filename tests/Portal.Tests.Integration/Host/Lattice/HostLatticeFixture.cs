using Microsoft.Extensions.Logging;
using Portal.Host;
using Portal.Host.Configuration;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Testing.Actors;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>
/// Two of our hosts in one fresh lattice on a private nats-server, in-process (each with its own
/// Node sidecar), file loads allowed, 1 s heartbeats; the test actors built and written to files so
/// they are scaled by <c>file://</c> references exactly as a client would.
/// </summary>
public sealed class HostLatticeFixture : IAsyncLifetime
{
    private readonly ScratchDirectory _dir = ScratchDirectory.Create("lattice-hosts");

    public NatsServer Nats { get; private set; } = null!;

    public string Lattice { get; } = $"t{Guid.NewGuid():N}"[..16];

    public LatticeHost HostA { get; private set; } = null!;

    public LatticeHost HostB { get; private set; } = null!;

    public NatsConnection Connection { get; private set; } = null!;

    public LatticeClient Client { get; private set; } = null!;

    public EventRecorder Events { get; private set; } = null!;

    /// <summary>file:// references by actor name: echo, trap, loop, hello (CGI), js and kv (wasi:http components).</summary>
    public Dictionary<string, string> Images { get; } = [];

    public async ValueTask InitializeAsync()
    {
        var ct = CancellationToken.None;
        Nats = await NatsServer.StartAsync(cancellationToken: ct);
        foreach (var name in new[] { "echo", "trap", "loop", "hello" })
        {
            Images[name] = await WriteAsync(name + ".wasm", await ActorBuilder.CgiModuleAsync(name, ct));
        }

        Images["js"] = await WriteAsync("js.wasm", await ActorBuilder.HttpComponentAsync("hello-component", ct));
        Images["kv"] = await WriteAsync("kv.wasm", await ActorBuilder.HttpComponentAsync("kv-component", ct));

        Connection = new NatsConnection(new NatsOpts { Url = Nats.Url });
        await Connection.ConnectAsync(ct);
        Events = await EventRecorder.StartAsync(Connection, Lattice, ct);
        Client = new LatticeClient(Connection, new LatticeClientOptions { Lattice = Lattice, AuctionTimeout = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(5) });
        HostA = await StartHostAsync("a", ct);
        HostB = await StartHostAsync("b", ct);
    }

    public HostOptions Options(string zone) => new()
    {
        NatsHost = "127.0.0.1",
        NatsPort = Nats.Port,
        Lattice = Lattice,
        AllowFileLoad = true,
        HeartbeatInterval = TimeSpan.FromSeconds(1),
        Labels = new() { ["zone"] = zone },
        EngineWorkers = 2,
        // The first transpile of a componentize-js component takes minutes on a crowded 2-core machine.
        ComponentLoadTimeout = TimeSpan.FromMinutes(5),
        FirstHealthCheck = TimeSpan.FromMilliseconds(300),
        HealthCheckInterval = TimeSpan.FromSeconds(1),
    };

    public async Task<LatticeHost> StartHostAsync(string zone, CancellationToken ct)
    {
        var host = new LatticeHost(Options(zone), LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)));
        await host.StartAsync(ct);
        return host;
    }

    private async Task<string> WriteAsync(string fileName, byte[] wasm)
    {
        var path = Path.Combine(_dir.Path, fileName);
        await File.WriteAllBytesAsync(path, wasm);
        return "file://" + path;
    }

    public async ValueTask DisposeAsync()
    {
        if (HostA is not null) await HostA.DisposeAsync();
        if (HostB is not null) await HostB.DisposeAsync();
        if (Events is not null) await Events.DisposeAsync();
        if (Connection is not null) await Connection.DisposeAsync();
        if (Nats is not null) await Nats.DisposeAsync();
        _dir.Dispose();
    }
}
