using Portal.Lattice.Inspection;
using static Portal.Tests.Unit.Lattice.Inspection.WasmBytes;

namespace Portal.Tests.Unit.Lattice.Inspection;

/// <summary>
/// The densest encodings of what the inspector records (2-4 bytes per memory, import, section...):
/// what a hostile upload would use to make it allocate. Each stays under the fuzz test's bound of
/// 64 bytes per input byte (plus 64 KiB).
/// </summary>
public sealed class AllocationBoundTests
{
    private const int N = 20_000;

    public static TheoryData<string> Shapes => ["custom sections", "component type sections", "imported memories", "memories", "exports", "component imports", "producers"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Dense_inputs_stay_within_the_bound(string shape)
    {
        var input = Build(shape);
        WasmInspector.Inspect(input); // first-call costs (statics, JIT) are not the input's

        var before = GC.GetAllocatedBytesForCurrentThread();
        WasmInspector.Inspect(input);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated <= 64L * input.Length + 64 * 1024, $"{shape}: {allocated} bytes allocated for {input.Length} ({(double)allocated / input.Length:F1} per byte)");
    }

    private static byte[] Build(string shape) => shape switch
    {
        "custom sections" => Module([.. Enumerable.Repeat(Custom(""), N)]),
        "component type sections" => Component([.. Enumerable.Repeat(Section(7, Vec()), N)]),
        "imported memories" => Module(Section(2, Vec([.. Enumerable.Repeat<byte[]>([0x00, 0x00, 0x02, 0x00, 0x00], N)]))),
        "memories" => Module(Section(5, Vec([.. Enumerable.Repeat<byte[]>([0x00, 0x00], N)]))),
        "exports" => Module(Section(7, Vec([.. Enumerable.Repeat<byte[]>([0x00, 0x00, 0x00], N)]))),
        "component imports" => Component(Section(10, Vec([.. Enumerable.Repeat<byte[]>([0x00, .. Name("a:b/c@1.0"), 0x05, 0x00], N)]))),
        "producers" => Module(Custom("producers", Vec([.. Name("f"), .. Vec([.. Enumerable.Repeat<byte[]>([0x00, 0x00], N)])]))),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };
}
