using Portal.Lattice.Inspection;
using static Portal.Tests.Unit.Lattice.Inspection.WasmBytes;

namespace Portal.Tests.Unit.Lattice.Inspection;

/// <summary>Everything that is not a readable module or component is refused with a message saying what was found, and where.</summary>
public sealed class InspectionErrorTests
{
    private static WasmInspectionException Refused(byte[] bytes) => Assert.Throws<WasmInspectionException>(() => WasmInspector.Inspect(bytes));

    // One function import: "m" "f" (func 0).
    private static readonly byte[] ImportSection = Section(2, Vec([.. Name("m"), .. Name("f"), 0x00, 0x00]));

    [Fact]
    public void An_empty_file_is_named_as_such()
    {
        var e = Refused([]);
        Assert.Contains("empty", e.Message);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void A_png_is_recognised_and_its_first_bytes_shown()
    {
        var e = Refused([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
        Assert.Equal("not a WebAssembly binary: a PNG image (first bytes 89 50 4E 47 0D 0A 1A 0A)", e.Message);
    }

    [Theory]
    [InlineData("(module (func))", "WebAssembly text format")]
    [InlineData("{\"schemaVersion\": 2}", "JSON text")]
    [InlineData("hello", "text")]
    public void Text_is_told_apart(string text, string guess) =>
        Assert.Contains(guess, Refused(System.Text.Encoding.UTF8.GetBytes(text)).Message);

    [Fact]
    public void Gzip_and_elf_are_recognised()
    {
        Assert.Contains("gzip", Refused([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0]).Message);
        Assert.Contains("ELF executable", Refused([0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]).Message);
        Assert.Contains("unrecognised binary data", Refused([0x00, 0x01, 0x02, 0x03]).Message);
    }

    [Fact]
    public void A_truncated_preamble_is_named()
    {
        var e = Refused([0x00, 0x61, 0x73, 0x6D, 0x01]);
        Assert.Contains("truncated preamble: 5 bytes", e.Message);
    }

    [Fact]
    public void Unknown_versions_and_layers_are_named()
    {
        var core2 = Refused([0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00]);
        Assert.Equal("unknown core WebAssembly version 2 (only version 1 exists)", core2.Message);
        Assert.Equal(4, core2.Offset);

        Assert.Contains("component binary version 0x0c is not supported", Refused([0x00, 0x61, 0x73, 0x6D, 0x0C, 0x00, 0x01, 0x00]).Message);
        Assert.Contains("unknown layer 2", Refused([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x02, 0x00]).Message);
    }

    [Fact]
    public void A_module_cut_short_names_the_truncated_section_and_its_offset()
    {
        var typeSection = Section(1, Vec([0x60, 0x00, 0x00]));
        var whole = Module(typeSection, ImportSection);
        var importAt = 8 + typeSection.Length;

        var e = Refused(whole[..^3]);

        Assert.Equal($"truncated import section (id 2) at offset {importAt}: it declares {ImportSection.Length - 2} bytes but only {ImportSection.Length - 5} remain", e.Message);
        Assert.Equal(importAt, e.Offset);
    }

    [Fact]
    public void Content_that_ends_before_its_entries_do_is_named()
    {
        // Two imports, the second cut off before its kind.
        var e = Refused(Module(Section(2, Leb(2), [.. Name("m"), .. Name("f"), 0x00, 0x00], [.. Name("m"), .. Name("f")])));
        Assert.Equal("unexpected end of the import section at offset 21: 1 more byte(s) needed, 0 left", e.Message);
        Assert.Equal(21, e.Offset);
    }

    [Fact]
    public void Leb128_that_overflows_or_runs_long_is_refused()
    {
        var overflow = Refused([.. ModulePreamble, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]);
        Assert.Equal("LEB128 integer overflows 32 bits in the module at offset 9", overflow.Message);
        Assert.Equal(9, overflow.Offset);

        var tooLong = Refused([.. ModulePreamble, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
        Assert.Contains("LEB128 integer longer than 5 bytes", tooLong.Message);
    }

    [Fact]
    public void A_count_larger_than_its_section_is_refused_before_anything_is_read()
    {
        var e = Refused(Module(Section(2, Leb(1_000_000), [0x00])));
        Assert.Equal("import section at offset 10 declares 1000000 entries, more than its remaining 1 bytes can hold", e.Message);
    }

    [Fact]
    public void Unknown_duplicate_and_misplaced_sections_are_refused()
    {
        Assert.Equal("unknown section id 14 at offset 8", Refused(Module(Section(14))).Message);
        Assert.Contains("second import section", Refused(Module(ImportSection, ImportSection)).Message);
        Assert.Contains("import section at offset 11 comes after the export section, out of order",
            Refused(Module(Section(7, Vec()), ImportSection)).Message);
    }

    [Fact]
    public void Names_must_be_utf8_and_kinds_known()
    {
        Assert.Contains("name is not valid UTF-8", Refused(Module(Section(2, Vec([0x01, 0xFF, .. Name("f"), 0x00, 0x00])))).Message);
        Assert.Contains("unknown import kind 0x09", Refused(Module(Section(2, Vec([.. Name("m"), .. Name("f"), 0x09, 0x00])))).Message);
        Assert.Contains("unknown limits flags 0x10", Refused(Module(Section(5, Vec([0x10, 0x01])))).Message);
        Assert.Contains("import section has 1 unexpected bytes at its end", Refused(Module(Section(2, Vec([.. Name("m"), .. Name("f"), 0x00, 0x00]), [0x00]))).Message);
    }

    [Fact]
    public void Component_sections_are_checked_too()
    {
        Assert.Equal("unknown component section id 13 at offset 8", Refused(Component(Section(13))).Message);
        Assert.Contains("nested core module at offset 10 does not start with a core module preamble",
            Refused(Component(Section(1, [.. ComponentPreamble]))).Message);
        Assert.Contains("unknown extern type 0x09", Refused(Component(Section(10, Vec([0x00, .. Name("x"), 0x09, 0x00])))).Message);
        Assert.Contains("unknown canonical function 0x7E", Refused(Component(Section(8, Vec([0x7E])))).Message);
    }

    [Fact]
    public void Deeply_nested_components_are_refused_not_recursed_into()
    {
        byte[] nested = [.. ComponentPreamble];
        for (var i = 0; i < 40; i++) nested = [.. ComponentPreamble, .. Section(4, nested)];

        Assert.Contains("components nested too deeply", Refused(nested).Message);
    }

    [Fact]
    public void A_stream_over_the_limit_is_refused_while_reading()
    {
        var module = Module(Custom("padding", new byte[5000]));
        using var seekable = new MemoryStream(module);
        Assert.Equal("the binary is larger than the limit of 4096 bytes", Assert.Throws<WasmInspectionException>(() => WasmInspector.Inspect(seekable, 4096)).Message);

        using var unseekable = new UnseekableStream(module);
        Assert.Throws<WasmInspectionException>(() => WasmInspector.Inspect(unseekable, 4096));
    }

    [Fact]
    public async Task A_stream_within_the_limit_is_inspected()
    {
        var module = Module(Custom("padding", new byte[100_000]));
        using var unseekable = new UnseekableStream(module);

        var inspection = await WasmInspector.InspectAsync(unseekable, module.Length, TestContext.Current.CancellationToken);

        Assert.Equal(module.Length, inspection.Size);
        Assert.Equal("padding", Assert.Single(inspection.CustomSections).Name);
    }

    /// <summary>A stream that hides its length, as a request body does.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
