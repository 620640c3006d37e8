using System.Diagnostics;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>The portal-host executable itself: configured by wasmCloud environment variables and flags, stopped by SIGTERM with host_stopped.</summary>
public sealed class HostProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_executable_joins_from_env_and_flags_keeps_its_seeded_id_and_stops_gracefully_on_sigterm()
    {
        await using var nats = await NatsServer.StartAsync(cancellationToken: Ct);
        var lattice = $"proc{Guid.NewGuid():N}"[..16];
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        await using var events = await EventRecorder.StartAsync(connection, lattice, Ct);
        var client = new LatticeClient(connection, new LatticeClientOptions { Lattice = lattice, AuctionTimeout = TimeSpan.FromSeconds(1) });

        string? firstId = null;
        for (var run = 0; run < 2; run++)
        {
            using var process = Start(nats.Port, lattice);
            try
            {
                // The same seed on both runs: the second start must come back with the same id.
                var started = await WaitForNthAsync(events, LatticeEvents.HostStarted, run + 1);
                var hosts = await WaitForHostsAsync(client);
                var host = Assert.Single(hosts);
                Assert.Equal(("eu", "gold"), (host.Labels["zone"], host.Labels["tier"]));
                firstId ??= host.Id;
                Assert.Equal(firstId, host.Id);
                Assert.Equal(firstId, started.Source);

                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]);
                await kill.WaitForExitAsync(Ct);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(20));
                await process.WaitForExitAsync(timeout.Token);
                Assert.Equal(0, process.ExitCode);
                await events.WaitAsync(LatticeEvents.HostStopped, cancellationToken: Ct);
                Assert.Equal(run + 1, events.All.Count(e => e.Event.Type == LatticeEvents.TypeOf(LatticeEvents.HostStopped) && e.Event.Source == firstId));
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<CloudEvent<System.Text.Json.JsonElement>> WaitForNthAsync(EventRecorder events, string name, int n)
    {
        // Generous: the process starts .NET, Node and its workers, which takes long on a crowded machine.
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (true)
        {
            var matching = events.All.Where(e => e.Event.Type == LatticeEvents.TypeOf(name)).ToList();
            if (matching.Count >= n) return matching[n - 1].Event;
            Assert.True(DateTime.UtcNow < deadline, $"no {name} #{n}");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<IReadOnlyList<HostInfo>> WaitForHostsAsync(LatticeClient client)
    {
        for (var i = 0; ; i++)
        {
            var hosts = await client.PingHostsAsync(Ct);
            if (hosts.Count > 0 || i > 10) return hosts;
        }
    }

    private static Process Start(int natsPort, string lattice)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "portal-host.dll"));
        foreach (var a in new[] { "--lattice", lattice, "-l", "tier=gold", "--heartbeat-interval-seconds", "1" }) start.ArgumentList.Add(a);
        start.Environment["WASMCLOUD_NATS_HOST"] = "127.0.0.1";
        start.Environment["WASMCLOUD_NATS_PORT"] = natsPort.ToString();
        start.Environment["WASMCLOUD_HOST_SEED"] = "process-test-seed";
        start.Environment["WASMCLOUD_LABEL_zone"] = "eu";
        var process = Process.Start(start)!;
        // Drain output so the pipes never fill and block the host.
        _ = process.StandardOutput.ReadToEndAsync(Ct);
        _ = process.StandardError.ReadToEndAsync(Ct);
        return process;
    }
}
