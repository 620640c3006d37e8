using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Portal.Lattice.Nats;

namespace Benchmarks.Nats;

/// <summary>
/// S7: our NATS client's request/reply round trip and publish rate, against nats.js (the
/// reference client) on the same nats-server, in one run. Runs in-process so that the server and
/// the nats.js figures (measured once in setup, before our measurements) are shared; the last two
/// columns show the nats.js figure and the ratio. Targets: round trip at most 1.3x nats.js,
/// publish rate at least 0.5x.
/// </summary>
[Config(typeof(Config))]
public class NatsClientBenchmarks
{
    public const int Batch = 10_000;
    private readonly byte[] _payload = Enumerable.Repeat((byte)'x', 128).ToArray();
    private NatsConnection _requester = null!;
    private NatsConnection _responder = null!;
    private NatsSubscription _echo = null!;
    private Task _serving = Task.CompletedTask;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance));
            AddColumn(new NatsJsColumn(NatsJsColumn.Kind.Figure), new NatsJsColumn(NatsJsColumn.Kind.Ratio));
        }
    }

    // BenchmarkDotNet's in-process toolchain does not await async setup methods: block here instead.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var url = S7Environment.NatsUrl;
        _ = S7Environment.NatsJs; // measure nats.js now, while nothing else runs
        _requester = new NatsConnection(new NatsOpts { Url = url, Name = "s7-net-requester" });
        _responder = new NatsConnection(new NatsOpts { Url = url, Name = "s7-net-responder" });
        await _requester.ConnectAsync();
        await _responder.ConnectAsync();
        _echo = await _responder.SubscribeAsync("s7.net.echo");
        _serving = Task.Run(async () =>
        {
            await foreach (var msg in _echo) await msg.ReplyAsync(msg.Data);
        });
        await _responder.FlushAsync();
    }

    private async Task CleanupAsync()
    {
        await _echo.DisposeAsync();
        await _serving;
        await _requester.DisposeAsync();
        await _responder.DisposeAsync();
    }

    [Benchmark(Description = "request/reply round trip (128 B)")]
    public async Task<int> RequestReply() => (await _requester.RequestAsync("s7.net.echo", _payload)).Data.Length;

    [Benchmark(Description = "publish 10k x 128 B + flush")]
    public async Task PublishBatch()
    {
        for (var i = 0; i < Batch; i++) await _requester.PublishAsync("s7.net.sink", _payload);
        await _requester.FlushAsync();
    }
}
