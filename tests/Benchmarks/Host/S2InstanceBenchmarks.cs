using BenchmarkDotNet.Attributes;
using Portal.Host.Engine;
using Portal.Testing.Actors;

namespace Benchmarks.Host;

/// <summary>
/// S2: what a fresh instance from a cached module costs against a call on a live instance.
/// The benchmark methods include the host ⇄ sidecar hop (baseline: an empty Ping round trip);
/// the figures measured inside the sidecar (no hop; target: fresh instance ≤ 50 µs) are printed
/// by the setup, from the same run.
/// </summary>
[Config(typeof(InProcessConfig))]
public class S2InstanceBenchmarks
{
    private ActorEngine _engine = null!;
    private readonly HttpActorRequest _get = HttpActorRequest.Get("/");

    // Synchronous on purpose: the in-process toolchain does not wait for an async GlobalSetup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _engine = new ActorEngine(new ActorEngineOptions { Workers = 1 });
        await _engine.LoadAsync("hello", await ActorBuilder.CgiModuleAsync("hello", default), ActorKind.CgiModule);
        await _engine.LoadAsync("live", await ActorBuilder.ReactorModuleAsync("live", default), ActorKind.CgiModule);
        for (var i = 0; i < 3; i++)
        {
            // First rounds warm V8's tiers; the last one is reported.
            var instantiate = await _engine.ProbeAsync("hello", ProbeMode.Instantiate, 5000);
            var fresh = await _engine.ProbeAsync("hello", ProbeMode.FreshRequest, 5000);
            var live = await _engine.ProbeAsync("live", ProbeMode.LiveCall, 1_000_000);
            if (i == 2)
            {
                Console.WriteLine($"// S2 in sidecar: fresh instance {instantiate / 1000:F1} µs (target ≤ 50 µs), " +
                    $"CGI request as served (restored live instance+_start+stdio+parse) {fresh / 1000:F1} µs, live-instance call {live:F1} ns, " +
                    $"fresh/live = {instantiate / live:F0}x");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task CleanupAsync() => await _engine.DisposeAsync();

    [Benchmark(Baseline = true, Description = "sidecar hop (ping)")]
    public Task<int> SidecarHop() => _engine.PingAsync();

    [Benchmark(Description = "live-instance call + hop")]
    public Task<double> LiveCallViaHop() => _engine.ProbeAsync("live", ProbeMode.LiveCall, 1);

    [Benchmark(Description = "fresh instance + hop")]
    public Task<double> FreshInstanceViaHop() => _engine.ProbeAsync("hello", ProbeMode.Instantiate, 1);

    [Benchmark(Description = "fresh CGI request end to end")]
    public Task<HttpActorResponse> FreshCgiRequest() => _engine.InvokeHttpAsync("hello", _get);
}
