using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Portal.Lattice.Inspection;
using Portal.Testing.Actors;

namespace Benchmarks.Artifacts;

/// <summary>
/// Inspecting an uploaded component vs the least an upload does with its bytes anyway: SHA-256
/// over them (the digest artifacts are stored under). The componentize-js wasi:http component
/// (~13 MB, nearly all of it one nested core module); also the same component carrying signed
/// claims, whose check re-hashes the binary and verifies an Ed25519 signature. Read the Ratio column.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class InspectorBenchmarks
{
    private byte[] _component = [];
    private byte[] _signed = [];

    // Synchronous on purpose: the in-process toolchain does not wait for an async GlobalSetup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _component = await ActorBuilder.HttpComponentAsync("hello-component", default);
        var claims = new Dictionary<string, object?> { ["iat"] = 1_750_000_000L, ["wascap"] = new Dictionary<string, object?> { ["name"] = "hello" } };
        _signed = (await ClaimsSigner.SignAsync(_component, claims, default)).Wasm;
        if (WasmInspector.Inspect(_signed).Claims is not { Signature: ClaimsSignature.Valid, ModuleHashMatches: true })
            throw new InvalidOperationException("the signed component's claims do not verify");
        Console.WriteLine($"// inspecting a {_component.Length:N0}-byte component");
    }

    [Benchmark(Baseline = true, Description = "SHA-256 of the bytes")]
    public byte[] Sha256() => SHA256.HashData(_component);

    [Benchmark(Description = "inspect component")]
    public WasmInspection Inspect() => WasmInspector.Inspect(_component);

    [Benchmark(Description = "inspect signed component")]
    public WasmInspection InspectSigned() => WasmInspector.Inspect(_signed);
}
