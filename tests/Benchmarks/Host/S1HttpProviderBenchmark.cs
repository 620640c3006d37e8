using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Portal.Host;
using Portal.Host.Configuration;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Testing.Actors;
using Portal.Testing.Processes;

namespace Benchmarks.Host;

/// <summary>
/// S1: requests/s and p99 of an actor behind our HTTP server provider (a real host in-process,
/// driven through the control interface) against a bare Kestrel hello endpoint in the same
/// process, for both actor kinds, in one run. A plain timed closed loop rather than
/// BenchmarkDotNet: the figure is throughput under concurrency, which BenchmarkDotNet does not
/// measure. Load: <see cref="Concurrency"/> HttpClient loops against 127.0.0.1, each sending its
/// next request when the last one answered. Target: CGI at least 0.5x Kestrel's requests/s.
/// </summary>
public static class S1HttpProviderBenchmark
{
    private const int Concurrency = 16;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private const int Rounds = 9;
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(2);

    public static async Task RunAsync()
    {
        var ct = CancellationToken.None;
        await using var nats = await NatsServer.StartAsync(cancellationToken: ct);
        using var dir = ScratchDirectory.Create("s1");
        var cgi = Path.Combine(dir.Path, "hello.wasm");
        var js = Path.Combine(dir.Path, "hello-component.wasm");
        await File.WriteAllBytesAsync(cgi, await ActorBuilder.CgiModuleAsync("hello", ct), ct);
        await File.WriteAllBytesAsync(js, await ActorBuilder.HttpComponentAsync("hello-component", ct), ct);

        await using var host = new LatticeHost(new HostOptions { NatsPort = nats.Port, Lattice = "s1", AllowFileLoad = true });
        await host.StartAsync(ct);
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        var client = new LatticeClient(connection, new LatticeClientOptions { Lattice = "s1" });
        var (cgiPort, jsPort, kestrelPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        await DeployAsync(client, host, "s1-cgi", "file://" + cgi, cgiPort);
        await DeployAsync(client, host, "s1-js", "file://" + js, jsPort);
        await using var kestrel = await StartKestrelAsync(kestrelPort);

        // Interleaved rounds: on a shared machine the background load changes from second to second,
        // so each round measures every target back to back and the ratio is taken per round; the
        // median of the rounds' ratios is the figure (the pooled figures are printed beside it). Nine
        // rounds: with five, one busy second moved the median by a few hundredths.
        var targets = new (string Name, Func<Task<bool>> Once)[]
        {
            ("bare Kestrel hello", HttpGet(kestrelPort)),
            ("CGI module (C) via HTTP server provider", HttpGet(cgiPort)),
            ("wasi:http component (JS) via HTTP server provider", HttpGet(jsPort)),
            // Where the time goes: the same CGI actor called on the engine directly (no HTTP, no provider).
            ("CGI module via the engine directly (no HTTP)", EngineCall(host, "s1-cgi")),
        };
        foreach (var (name, once) in targets) await WaitForSuccessAsync(name, once);
        foreach (var (_, once) in targets) await RunLoopsAsync(once, Warmup);

        var samples = targets.Select(_ => new List<Sample>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var t = 0; t < targets.Length; t++)
            {
                var (latencies, errors, elapsed) = await RunLoopsAsync(targets[t].Once, Slice);
                samples[t].Add(new Sample(latencies, errors, elapsed));
            }
        }

        var results = targets.Select((t, i) => Summarize(t.Name, samples[i], samples[0])).ToArray();
        var bare = results[0];
        var cgiResult = results[1];
        Console.WriteLine();
        Console.WriteLine($"S1 ({Concurrency} concurrent closed-loop clients, {Rounds} interleaved rounds of {Slice.TotalSeconds:F0} s per target, {Environment.ProcessorCount} cores shared with the load generator)");
        Console.WriteLine($"{"target",-52} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7} {"req/s vs Kestrel",17} {"(rounds: min..max)",19} {"p99 vs Kestrel",15}");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Name,-52} {r.RequestsPerSecond,10:F0} {r.P50Ms,8:F2} {r.P99Ms,8:F2} {r.Errors,7} {r.MedianRatio,17:F2} {$"{r.MinRatio:F2}..{r.MaxRatio:F2}",19} {r.P99Ms / bare.P99Ms,15:F1}");
        }

        Console.WriteLine($"target: CGI req/s >= 0.5x Kestrel (median of rounds) -> {(cgiResult.MedianRatio >= 0.5 ? "met" : "NOT met")}");
    }

    private static async Task DeployAsync(LatticeClient client, LatticeHost host, string id, string image, int port)
    {
        await client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = id, ComponentRef = image, MaxInstances = Concurrency, HostId = host.HostId });
        await client.StartProviderAsync(new StartProviderCommand { ProviderId = id + "-http", ProviderRef = "wasmcloud+builtin://http-server", HostId = host.HostId });
        await client.PutConfigAsync(id + "-address", new Dictionary<string, string> { ["address"] = $"127.0.0.1:{port}" });
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!host.Providers.IsRunning(id + "-http") || !host.Components.IsRunning(id))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{id} did not start");
            await Task.Delay(100);
        }

        var link = await client.PutLinkAsync(new Link
        {
            SourceId = id + "-http", Target = id, WitNamespace = "wasi", WitPackage = "http",
            Interfaces = ["incoming-handler"], SourceConfig = [id + "-address"],
        });
        if (!link.Success) throw new InvalidOperationException(link.Message);
    }

    private static async Task<WebApplication> StartKestrelAsync(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        var hello = "Hello from Kestrel\n"u8.ToArray();
        app.Run(async context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = hello.Length;
            await context.Response.Body.WriteAsync(hello);
        });
        await app.StartAsync();
        return app;
    }

    private sealed record Sample(List<long> Latencies, long Errors, TimeSpan Elapsed)
    {
        public double RequestsPerSecond => Latencies.Count / Elapsed.TotalSeconds;
    }

    private sealed record Result(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, long Errors, double MedianRatio, double MinRatio, double MaxRatio);

    private static readonly HttpClient Http = new(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static Func<Task<bool>> HttpGet(int port)
    {
        var uri = new Uri($"http://127.0.0.1:{port}/");
        var buffer = new ThreadLocal<byte[]>(() => new byte[4096]);
        return async () =>
        {
            using var response = await Http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            while (await body.ReadAsync(buffer.Value!) > 0)
            {
            }

            return response.IsSuccessStatusCode;
        };
    }

    private static Func<Task<bool>> EngineCall(LatticeHost host, string componentId)
    {
        var request = Portal.Host.Engine.HttpActorRequest.Get("/");
        return async () => (await host.Engine.InvokeHttpAsync(componentId, request)).Status < 400;
    }

    /// <summary>Until the target answers 2xx (a listener starts once the link reaches the provider through the store).</summary>
    private static async Task WaitForSuccessAsync(string name, Func<Task<bool>> once)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if (await once()) return;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{name} never answered 2xx");
    }

    private static Result Summarize(string name, List<Sample> rounds, List<Sample> baseline)
    {
        var latencies = rounds.SelectMany(r => r.Latencies).ToList();
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))] * 1000.0 / Stopwatch.Frequency;
        var ratios = rounds.Select((r, i) => r.RequestsPerSecond / baseline[i].RequestsPerSecond).Order().ToList();
        var elapsed = rounds.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Elapsed);
        return new Result(name, latencies.Count / elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99), rounds.Sum(r => r.Errors),
            ratios[ratios.Count / 2], ratios[0], ratios[^1]);
    }

    /// <summary><see cref="Concurrency"/> closed loops of <paramref name="once"/> (true = success) for the duration.</summary>
    private static async Task<(List<long> Latencies, long Errors, TimeSpan Elapsed)> RunLoopsAsync(Func<Task<bool>> once, TimeSpan duration)
    {
        var perLoop = new List<long>[Concurrency];
        long errors = 0;
        var clock = Stopwatch.StartNew();
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(i => Task.Run(async () =>
        {
            var mine = perLoop[i] = new List<long>(1 << 16);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    if (await once()) mine.Add(Stopwatch.GetTimestamp() - start);
                    else Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        var elapsed = clock.Elapsed;
        return (perLoop.SelectMany(l => l).ToList(), errors, elapsed);
    }
}
