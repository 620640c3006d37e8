using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Portal.Testing.Processes;

namespace Portal.Testing.Actors;

/// <summary>
/// Builds the test actors from their sources at test time: C with clang (wasm32-wasi, or native for
/// benchmarks) and JS handlers with componentize-js. Outputs are cached in the temp directory by a
/// hash of everything that goes into the build, so only the first run pays (a component is ~14 s).
/// </summary>
public static class ActorBuilder
{
    private static readonly SemaphoreSlim BuildLock = new(1, 1);

    /// <summary>tests/Portal.Testing/Actors in the source tree (the component builder's node_modules live there).</summary>
    public static string SourceDirectory { get; } = FindSourceDirectory();

    private static string CacheDirectory => Path.Combine(Path.GetTempPath(), "portal-test-actors");

    /// <summary>A WASI preview1 command module built from Actors/{name}.c with clang -O2.</summary>
    public static Task<byte[]> CgiModuleAsync(string name, CancellationToken cancellationToken) =>
        BuildAsync($"{name}.wasm", [Path.Combine(SourceDirectory, $"{name}.c")], "clang-wasm32-wasi-O2", async output =>
            await RunAsync(ToolLocator.Find("clang"), SourceDirectory,
                ["--target=wasm32-wasi", "-O2", "-o", output, Path.Combine(SourceDirectory, $"{name}.c")], cancellationToken), cancellationToken);

    /// <summary>A WASI reactor module (exports, no _start) built from Actors/{name}.c.</summary>
    public static Task<byte[]> ReactorModuleAsync(string name, CancellationToken cancellationToken) =>
        BuildAsync($"{name}.reactor.wasm", [Path.Combine(SourceDirectory, $"{name}.c")], "clang-wasm32-wasi-reactor-O2", async output =>
            await RunAsync(ToolLocator.Find("clang"), SourceDirectory,
                ["--target=wasm32-wasi", "-mexec-model=reactor", "-O2", "-o", output, Path.Combine(SourceDirectory, $"{name}.c")], cancellationToken), cancellationToken);

    /// <summary>A module hand-written in WebAssembly text (Actors/{name}.wat), assembled by wabt's wat2wasm with every feature enabled.</summary>
    public static Task<byte[]> WatModuleAsync(string name, CancellationToken cancellationToken) =>
        BuildAsync($"{name}.wasm", [Path.Combine(SourceDirectory, $"{name}.wat")], "wat2wasm-all-features", async output =>
            await RunAsync(ToolLocator.Find("wat2wasm"), SourceDirectory,
                ["--enable-all", "--debug-names", "-o", output, Path.Combine(SourceDirectory, $"{name}.wat")], cancellationToken), cancellationToken);

    /// <summary>The same C source built natively with clang -O2 as a shared library (for benchmarks via P/Invoke).</summary>
    public static async Task<string> NativeLibraryAsync(string name, CancellationToken cancellationToken)
    {
        var source = Path.Combine(SourceDirectory, $"{name}.c");
        await BuildAsync($"lib{name}.so", [source], "clang-native-shared-O2", async output =>
            await RunAsync(ToolLocator.Find("clang"), SourceDirectory, ["-O2", "-shared", "-fPIC", "-DPORTAL_NATIVE_LIBRARY", "-o", output, source], cancellationToken), cancellationToken);
        return Path.Combine(CacheDirectory, KeyFor([source], "clang-native-shared-O2"), $"lib{name}.so");
    }

    /// <summary>A wasi:http component built from Actors/{name}.js with componentize-js (Actors/component/build.mjs).</summary>
    public static Task<byte[]> HttpComponentAsync(string name, CancellationToken cancellationToken)
    {
        var builder = Path.Combine(SourceDirectory, "component");
        var source = Path.Combine(SourceDirectory, $"{name}.js");
        // Our WIT packages (wasi:keyvalue, wasi:logging) go into the build, so into its cache key too.
        var wit = Directory.GetFiles(Path.Combine(SourceDirectory, "wit"), "*.wit", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        return BuildAsync($"{name}.component.wasm", [source, Path.Combine(builder, "build.mjs"), Path.Combine(builder, "package-lock.json"), .. wit], "componentize-js", async output =>
        {
            if (!Directory.Exists(Path.Combine(builder, "node_modules")))
            {
                await RunAsync("npm", builder, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], cancellationToken);
            }

            await RunAsync("node", builder, ["build.mjs", source, output], cancellationToken);
        }, cancellationToken);
    }

    private static async Task<byte[]> BuildAsync(string fileName, string[] inputs, string recipe, Func<string, Task> build, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(CacheDirectory, KeyFor(inputs, recipe));
        var output = Path.Combine(directory, fileName);
        if (File.Exists(output)) return await File.ReadAllBytesAsync(output, cancellationToken);
        await BuildLock.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(output))
            {
                Directory.CreateDirectory(directory);
                var staging = Path.Combine(directory, $"{Guid.NewGuid():N}.tmp-{fileName}");
                await build(staging);
                File.Move(staging, output, overwrite: true);
            }
        }
        finally
        {
            BuildLock.Release();
        }

        return await File.ReadAllBytesAsync(output, cancellationToken);
    }

    private static string KeyFor(string[] inputs, string recipe)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(recipe));
        foreach (var input in inputs) hash.AppendData(File.ReadAllBytes(input));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
    }

    internal static async Task RunAsync(string program, string workingDirectory, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    private static string FindSourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Portal.Testing", "Actors");
            if (File.Exists(Path.Combine(candidate, "hello.c"))) return candidate;
        }

        throw new DirectoryNotFoundException("tests/Portal.Testing/Actors not found above the test assembly.");
    }
}
