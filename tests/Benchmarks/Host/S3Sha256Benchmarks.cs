using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using Portal.Host.Engine;
using Portal.Testing.Actors;

namespace Benchmarks.Host;

/// <summary>
/// S3: a CPU-bound C kernel (SHA-256 over 1 MiB, <see cref="Rounds"/> times) as wasm in our engine
/// (a full CGI request: fresh instance, sidecar hop) against the same C built natively with
/// clang -O2 and called through P/Invoke. Target: wasm/native ≤ 1.6 (the Ratio column).
/// </summary>
[Config(typeof(InProcessConfig))]
public class S3Sha256Benchmarks
{
    private ActorEngine _engine = null!;
    private IntPtr _library;
    private IntPtr _native; // sha256_repeat_hex(int rounds, char* hex65)
    private HttpActorRequest _request = null!;

    [Params(8)]
    public int Rounds { get; set; }

    // Synchronous on purpose: the in-process toolchain does not wait for an async GlobalSetup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _library = NativeLibrary.Load(await ActorBuilder.NativeLibraryAsync("sha256", default));
        _native = NativeLibrary.GetExport(_library, "sha256_repeat_hex");
        _engine = new ActorEngine(new ActorEngineOptions { Workers = 1 });
        await _engine.LoadAsync("sha256", await ActorBuilder.CgiModuleAsync("sha256", default), ActorKind.CgiModule,
            new ActorLimits { MemoryBytes = 16L * 1024 * 1024, Timeout = TimeSpan.FromMinutes(1) });
        _request = HttpActorRequest.Get($"/?n={Rounds}");
        var wasm = Encoding.ASCII.GetString((await _engine.InvokeHttpAsync("sha256", _request)).Body.Span).Trim();
        var native = Native();
        if (wasm != native) throw new InvalidOperationException($"wasm digest {wasm} differs from native {native}");
        Console.WriteLine($"// S3 digests agree: {native}");
    }

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task CleanupAsync()
    {
        await _engine.DisposeAsync();
        NativeLibrary.Free(_library);
    }

    [Benchmark(Baseline = true, Description = "native clang -O2 (P/Invoke)")]
    public unsafe string Native()
    {
        var hex = stackalloc byte[65];
        ((delegate* unmanaged<int, byte*, void>)_native)(Rounds, hex);
        return Encoding.ASCII.GetString(hex, 64);
    }

    [Benchmark(Description = "wasm in our engine (CGI request)")]
    public async Task<int> Wasm() => (await _engine.InvokeHttpAsync("sha256", _request)).Status;
}
