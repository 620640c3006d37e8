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
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(8);

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

        var bare = await LoadAsync("bare Kestrel hello", kestrelPort);
        var cgiResult = await LoadAsync("CGI module (C) via HTTP server provider", cgiPort);
        var jsResult = await LoadAsync("wasi:http component (JS) via HTTP server provider", jsPort);
        // Where the time goes: the same CGI actor called on the engine directly (no HTTP, no provider).
        var engineOnly = await EngineLoadAsync("CGI module via the engine directly (no HTTP)", host, "s1-cgi");

        Console.WriteLine();
        Console.WriteLine($"S1 ({Concurrency} concurrent closed-loop clients, {Measure.TotalSeconds:F0} s each, {Environment.ProcessorCount} cores shared with the load generator)");
        Console.WriteLine($"{"target",-52} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7} {"req/s vs Kestrel",17} {"p99 vs Kestrel",15}");
        foreach (var r in new[] { bare, cgiResult, jsResult, engineOnly })
        {
            Console.WriteLine($"{r.Name,-52} {r.RequestsPerSecond,10:F0} {r.P50Ms,8:F2} {r.P99Ms,8:F2} {r.Errors,7} {r.RequestsPerSecond / bare.RequestsPerSecond,17:F2} {r.P99Ms / bare.P99Ms,15:F1}");
        }

        Console.WriteLine($"target: CGI req/s >= 0.5x Kestrel -> {(cgiResult.RequestsPerSecond / bare.RequestsPerSecond >= 0.5 ? "met" : "NOT met")}");
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

    private sealed record Result(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);

    private static async Task<Result> LoadAsync(string name, int port)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var uri = new Uri($"http://127.0.0.1:{port}/");

        // Until the listener answers (the link reaches the provider through the store).
        for (var i = 0; ; i++)
        {
            try
            {
                using var probe = await http.GetAsync(uri);
                if (probe.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (i < 600)
            {
            }

            if (i >= 600) throw new TimeoutException($"{name} never answered 2xx");
            await Task.Delay(50);
        }

        await RunLoopsAsync(http, uri, Warmup);
        var (latencies, errors, elapsed) = await RunLoopsAsync(http, uri, Measure);
        return Summarize(name, latencies, errors, elapsed);
    }

    private static async Task<Result> EngineLoadAsync(string name, LatticeHost host, string componentId)
    {
        var request = Portal.Host.Engine.HttpActorRequest.Get("/");
        async Task<bool> Once() => (await host.Engine.InvokeHttpAsync(componentId, request)).Status < 400;
        await RunLoopsAsync(Once, Warmup);
        var (latencies, errors, elapsed) = await RunLoopsAsync(Once, Measure);
        return Summarize(name, latencies, errors, elapsed);
    }

    private static Result Summarize(string name, List<long> latencies, long errors, TimeSpan elapsed)
    {
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))] * 1000.0 / Stopwatch.Frequency;
        return new Result(name, latencies.Count / elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99), errors);
    }

    private static Task<(List<long> Latencies, long Errors, TimeSpan Elapsed)> RunLoopsAsync(HttpClient http, Uri uri, TimeSpan duration)
    {
        var buffer = new ThreadLocal<byte[]>(() => new byte[4096]);
        return RunLoopsAsync(async () =>
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            while (await body.ReadAsync(buffer.Value!) > 0)
            {
            }

            return response.IsSuccessStatusCode;
        }, duration);
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
