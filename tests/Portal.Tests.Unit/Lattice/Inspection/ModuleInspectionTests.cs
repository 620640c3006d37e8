using Portal.Lattice.Inspection;
using static Portal.Tests.Unit.Lattice.Inspection.WasmBytes;

namespace Portal.Tests.Unit.Lattice.Inspection;

/// <summary>Core module details from hand-assembled binaries (the real clang and wat2wasm fixtures are in the integration tests).</summary>
public sealed class ModuleInspectionTests
{
    [Fact]
    public void The_smallest_module_is_a_core_module_with_nothing_in_it()
    {
        var inspection = WasmInspector.Inspect(ModulePreamble);

        Assert.Equal(WasmBinaryKind.CoreModule, inspection.Kind);
        Assert.Equal(8, inspection.Size);
        Assert.Empty(inspection.Imports);
        Assert.Null(inspection.World);
        Assert.False(inspection.IsCgiCommand);
    }

    [Fact]
    public void Memory_limits_are_read_with_every_flag()
    {
        var inspection = WasmInspector.Inspect(Module(
            Section(2, Vec([.. Name("env"), .. Name("mem"), 0x02, 0x03, 0x01, 0x10])), // shared, min 1, max 16
            Section(5, Vec(
                [0x00, 0x02],                                   // min 2
                [0x05, .. Leb(1L << 33), .. Leb(1L << 40)],     // 64-bit with max
                [0x08, 0x01, 0x00]))));                         // custom page size 2^0

        Assert.Equal(
        [
            new WasmMemory(1, 16, Is64: false, Shared: true, ImportModule: "env", ImportName: "mem"),
            new WasmMemory(2, null, false, false),
            new WasmMemory(1UL << 33, 1UL << 40, Is64: true, Shared: false),
            new WasmMemory(1, null, false, false, PageSizeLog2: 0),
        ], inspection.Memories);
        Assert.True(inspection.Memories[0].IsImported);
    }

    [Fact]
    public void Start_export_makes_a_cgi_command_only_when_it_is_a_function()
    {
        var command = Module(Section(7, Vec([.. Name("_start"), 0x00, 0x00])));
        var global = Module(Section(7, Vec([.. Name("_start"), 0x03, 0x00])));

        Assert.True(WasmInspector.Inspect(command).IsCgiCommand);
        Assert.False(WasmInspector.Inspect(global).IsCgiCommand);
    }

    [Fact]
    public void Name_and_producers_sections_are_decoded()
    {
        var inspection = WasmInspector.Inspect(Module(
            Custom("name", [0x00], Leb(6), Name("hello"), [0x01, 0x01, 0x00]),
            Custom("producers", Vec(
                [.. Name("language"), .. Vec([.. Name("C11"), .. Name("")])],
                [.. Name("processed-by"), .. Vec([.. Name("clang"), .. Name("19.1.0")], [.. Name("wasm-opt"), .. Name("118")])]))));

        Assert.Equal("hello", inspection.Name);
        Assert.Equal(["name", "producers"], inspection.CustomSections.Select(c => c.Name));
        Assert.Equal(["language", "processed-by"], inspection.Producers.Select(p => p.Name));
        Assert.Equal([new WasmProducerValue("clang", "19.1.0"), new WasmProducerValue("wasm-opt", "118")], inspection.Producers[1].Values);
    }

    [Fact]
    public void Malformed_name_and_producers_sections_are_listed_but_do_not_refuse_the_module()
    {
        // Tool conventions: these sections are informative, so a broken one must not fail the binary.
        var inspection = WasmInspector.Inspect(Module(Custom("name", [0x00, 0x7F]), Custom("producers", [0x05, 0x01])));

        Assert.Null(inspection.Name);
        Assert.Empty(inspection.Producers);
        Assert.Equal(2, inspection.CustomSections.Length);
    }

    [Fact]
    public void Wasi_functions_are_the_distinct_preview1_function_imports()
    {
        var inspection = WasmInspector.Inspect(Module(Section(2, Vec(
            [.. Name("wasi_snapshot_preview1"), .. Name("fd_write"), 0x00, 0x00],
            [.. Name("wasi_snapshot_preview1"), .. Name("fd_write"), 0x00, 0x00],
            [.. Name("wasi_unstable"), .. Name("proc_exit"), 0x00, 0x00],
            [.. Name("env"), .. Name("abort"), 0x00, 0x00]))));

        Assert.Equal(["fd_write", "proc_exit"], inspection.WasiFunctions);
        Assert.Equal(4, inspection.Imports.Length);
    }
}
