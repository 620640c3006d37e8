using System.Diagnostics;
using Portal.Lattice.Inspection;

namespace Portal.Tests.Integration.Lattice.Inspection;

/// <summary>
/// Thousands of mutated copies of the real binaries (bit flips, byte replacements, truncations,
/// insertions, deletions, duplicated slices; fixed seed): the inspector must answer each with a
/// result or its own exception, quickly, allocating at most a small multiple of the input. A
/// failing input is written to the test artifacts folder with its seed and iteration.
/// </summary>
public sealed class InspectorFuzzTests(InspectionFixture fixture) : IClassFixture<InspectionFixture>
{
    // Fixed so a failure reproduces; PORTAL_FUZZ_SEED explores other sequences locally.
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("PORTAL_FUZZ_SEED"), out var seed) ? seed : 20261122;
    private static readonly TimeSpan PerCallLimit = TimeSpan.FromSeconds(2);

    [Fact]
    public void Mutated_cgi_modules() => Fuzz("hello", fixture.Hello, 3000);

    [Fact]
    public void Mutated_signed_modules() => Fuzz("signed-hello", fixture.SignedHello.Wasm, 2000, hotSpot: (fixture.Hello.Length, fixture.SignedHello.Wasm.Length));

    [Fact]
    public void Mutated_wat_modules() => Fuzz("kinds", fixture.Kinds, 2000);

    [Fact]
    public void Mutated_component_structure() => Fuzz("component-skeleton", fixture.ComponentSkeleton, 3000);

    /// <summary>The full 13 MB component, mutated in place (copying it per case would dominate), only where its own structure lies.</summary>
    [Fact]
    public void Mutated_full_component()
    {
        var buffer = (byte[])fixture.Component.Clone();
        var structure = WasmInspector.Inspect(buffer).Sections.Where(s => s.Id != 1).ToArray();
        var random = new Random(Seed);
        for (var i = 0; i < 300; i++)
        {
            var section = structure[random.Next(structure.Length)];
            var at = (int)(section.Offset + random.NextInt64(section.Size + 2));
            var saved = buffer[at];
            buffer[at] = random.Next(3) == 0 ? (byte)(saved ^ (1 << random.Next(8))) : (byte)random.Next(256);
            var length = random.Next(10) == 0 ? at + 1 : buffer.Length;
            Check("component", i, () => buffer[..length], buffer.AsSpan(0, length));
            buffer[at] = saved;
        }
    }

    private static void Fuzz(string name, byte[] original, int cases, (int Start, int End)? hotSpot = null)
    {
        // The first few KiB hold a module's structure (a clang module's tail is debug info), and a
        // signed binary's token is at its end: aim half of the mutations there.
        var hot = hotSpot ?? (0, Math.Min(original.Length, 4096));
        var random = new Random(Seed);
        int refused = 0;
        for (var i = 0; i < cases; i++)
        {
            var mutated = Mutate(original, random, hot);
            if (!Check(name, i, () => mutated, mutated)) refused++;
        }

        // Both outcomes must occur, or the mutations are not reaching the parser.
        Assert.InRange(refused, cases / 20, cases - cases / 20);
    }

    /// <summary>Inspects once; true when the input was accepted. Anything but our exception, a slow call or a large allocation fails the test.</summary>
    private static bool Check(string name, int iteration, Func<byte[]> copy, ReadOnlySpan<byte> input)
    {
        WasmInspector.Inspect([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]); // warm: first-call costs are not the input's
        var accepted = true;
        Exception? unexpected = null;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        try
        {
            WasmInspector.Inspect(input);
        }
        catch (WasmInspectionException)
        {
            accepted = false;
        }
        catch (Exception e)
        {
            unexpected = e;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var limit = 64L * input.Length + 64 * 1024;
        if (unexpected is null && elapsed <= PerCallLimit && allocated <= limit) return accepted;

        var saved = Save(name, iteration, copy());
        Assert.Fail($"{name} case {iteration} (seed {Seed}, input saved to {saved}): " +
            (unexpected is not null ? $"threw {unexpected}" : elapsed > PerCallLimit ? $"took {elapsed.TotalMilliseconds:0} ms" : $"allocated {allocated} bytes for {input.Length} (limit {limit})"));
        return false;
    }

    private static byte[] Mutate(byte[] original, Random random, (int Start, int End) hot)
    {
        int Position(int length) => random.Next(2) == 0 && hot.End <= length ? random.Next(hot.Start, hot.End) : random.Next(length);
        var bytes = new List<byte>(original);
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            switch (random.Next(6))
            {
                case 0: // flip a bit
                    var flip = Position(bytes.Count);
                    bytes[flip] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // replace a byte, often with a value that means something to LEB128 or a length
                    byte[] interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, (byte)random.Next(256)];
                    bytes[Position(bytes.Count)] = interesting[random.Next(interesting.Length)];
                    break;
                case 2: // truncate
                    var cut = Position(bytes.Count);
                    bytes.RemoveRange(cut, bytes.Count - cut);
                    break;
                case 3: // insert random bytes
                    var insert = new byte[1 + random.Next(16)];
                    random.NextBytes(insert);
                    bytes.InsertRange(Position(bytes.Count), insert);
                    break;
                case 4: // delete a range
                    var from = Position(bytes.Count);
                    bytes.RemoveRange(from, Math.Min(1 + random.Next(64), bytes.Count - from));
                    break;
                case 5: // duplicate a slice somewhere else
                    var start = Position(bytes.Count);
                    var slice = bytes.GetRange(start, Math.Min(1 + random.Next(256), bytes.Count - start));
                    bytes.InsertRange(Position(bytes.Count), slice);
                    break;
            }
        }

        return [.. bytes];
    }

    private static string Save(string name, int iteration, byte[] input)
    {
        var directory = Environment.GetEnvironmentVariable("PORTAL_TEST_ARTIFACTS") ?? Path.GetTempPath();
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"inspector-fuzz-{name}-{iteration}.wasm");
        File.WriteAllBytes(path, input);
        return path;
    }
}
