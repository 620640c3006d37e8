using System.Diagnostics;
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

        var script = Path.Combine(ScriptDirectory(), "check.mjs");
        if (!Directory.Exists(Path.Combine(ScriptDirectory(), "node_modules"))) await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
        var (exit, output) = await RunAsync("node", [script, nats.Url, lattice, "file://" + wasm]);

        Assert.True(exit == 0, $"check.mjs exited {exit}:\n{output}");
        Assert.Contains("all checks passed", output);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = ScriptDirectory(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string ScriptDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Portal.Tests.Integration", "Host", "external");
            if (File.Exists(Path.Combine(candidate, "check.mjs"))) return candidate;
        }

        throw new DirectoryNotFoundException("tests/Portal.Tests.Integration/Host/external not found above the test assembly.");
    }
}
