using Portal.Host;
using Portal.Host.Configuration;
using Portal.Testing.Actors;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>
/// The external check: a script using the reference NATS client (nats.js), written from the
/// protocol notes alone (Host/external/check.mjs), drives one of our hosts and checks replies and events.
/// </summary>
public sealed class ExternalClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_nats_js_protocol_check_passes_against_our_host()
    {
        await using var nats = await NatsServer.StartAsync(cancellationToken: Ct);
        using var dir = ScratchDirectory.Create("external-check");
        var wasm = Path.Combine(dir.Path, "hello.wasm");
        await File.WriteAllBytesAsync(wasm, await ActorBuilder.CgiModuleAsync("hello", Ct), Ct);
        var lattice = $"ext{Guid.NewGuid():N}"[..16];
        await using var host = new LatticeHost(new HostOptions { NatsPort = nats.Port, Lattice = lattice, AllowFileLoad = true, EngineWorkers = 1 });
        await host.StartAsync(Ct);

        var (exit, output) = await ExternalScripts.NodeAsync("check.mjs", [nats.Url, lattice, "file://" + wasm], Ct);

        Assert.True(exit == 0, $"check.mjs exited {exit}:\n{output}");
        Assert.Contains("all checks passed", output);
    }
}
