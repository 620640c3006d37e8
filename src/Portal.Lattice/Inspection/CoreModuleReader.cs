namespace Portal.Lattice.Inspection;

/// <summary>
/// A core module's sections: imports, exports, memories and custom sections are decoded; the
/// others are checked for order, uniqueness and length only (their contents are the engine's to validate).
/// </summary>
internal static class CoreModuleReader
{
    private static readonly string[] SectionNames =
        ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "data count", "tag"];

    // Reader contexts made once: a string per section would cost more than a tiny section's bytes.
    private static readonly string[] SectionContexts = [.. SectionNames.Select(n => $"{n} section")];

    // Where each known section id may appear: the tag section sits between memory and global, the
    // data count section before code.
    private static readonly int[] OrderRank = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6];

    public static string SectionName(byte id) => id < SectionNames.Length ? SectionNames[id] : $"unknown ({id})";

    public static string SectionContext(byte id) => SectionContexts[id];

    public static void Read(ReadOnlySpan<byte> wasm, InspectionBuilder result)
    {
        var r = new WasmReader(wasm, 0, "module");
        r.Skip(8);
        var lastRank = 0;
        var lastId = (byte)0;
        var definedMemories = new List<WasmMemory>();
        while (!r.AtEnd)
        {
            var sectionOffset = r.Offset;
            var id = r.ReadByte();
            if (id >= SectionNames.Length)
                throw new WasmInspectionException($"unknown section id {id} at offset {sectionOffset}", sectionOffset);
            var body = SectionBody(ref r, id, SectionName(id), SectionContexts[id], sectionOffset);
            if (id != 0)
            {
                result.Sections.Add(new WasmSection(id, SectionName(id), sectionOffset, body.Remaining));
                var rank = OrderRank[id];
                if (rank == lastRank)
                    throw new WasmInspectionException($"second {SectionName(id)} section at offset {sectionOffset}", sectionOffset);
                if (rank < lastRank)
                    throw new WasmInspectionException($"{SectionName(id)} section at offset {sectionOffset} comes after the {SectionName(lastId)} section, out of order", sectionOffset);
                lastRank = rank;
                lastId = id;
            }

            switch (id)
            {
                case 0:
                    CustomSectionReader.Read(ref body, sectionOffset, result);
                    break;
                case 2:
                    ReadImports(ref body, result);
                    break;
                case 3:
                    SkipIndices(ref body);
                    break;
                case 5:
                    ReadMemories(ref body, definedMemories);
                    break;
                case 7:
                    ReadExports(ref body, result);
                    break;
                case 8:
                    body.ReadU32();
                    body.ExpectEnd();
                    break;
                case 12:
                    body.ReadU32();
                    body.ExpectEnd();
                    break;
                case 13:
                    ReadTags(ref body);
                    break;
            }
        }

        // Imported memories take the first indices, so the list follows the module's memory index order.
        result.Memories.AddRange(definedMemories);
    }

    /// <summary>
    /// The content of the section whose id was just read: its size is checked against what remains,
    /// which is where a truncated file shows.
    /// </summary>
    public static WasmReader SectionBody(ref WasmReader r, byte id, string name, string context, long sectionOffset)
    {
        var size = r.ReadU32();
        if (size > r.Remaining)
            throw new WasmInspectionException(
                $"truncated {name} section (id {id}) at offset {sectionOffset}: it declares {size} bytes but only {r.Remaining} remain", sectionOffset);
        return r.Slice((int)size, context);
    }

    private static void ReadImports(ref WasmReader r, InspectionBuilder result)
    {
        var count = r.ReadCount(4);
        result.Imports.EnsureCapacity(result.Imports.Count + (int)count);
        for (var i = 0; i < count; i++)
        {
            var module = r.ReadName();
            var name = r.ReadName();
            var kind = CoreTypeReader.ReadExternType(ref r, out var limits);
            result.Imports.Add(new WasmImport(module, name, kind));
            if (limits is { } l) result.Memories.Add(l.ToMemory(module, name));
        }

        r.ExpectEnd();
    }

    private static void ReadMemories(ref WasmReader r, List<WasmMemory> memories)
    {
        var count = r.ReadCount(2);
        memories.EnsureCapacity(memories.Count + (int)count);
        for (var i = 0; i < count; i++) memories.Add(CoreTypeReader.ReadLimits(ref r).ToMemory());
        r.ExpectEnd();
    }

    private static void ReadExports(ref WasmReader r, InspectionBuilder result)
    {
        var count = r.ReadCount(3);
        result.Exports.EnsureCapacity(result.Exports.Count + (int)count);
        for (var i = 0; i < count; i++)
        {
            var name = r.ReadName();
            var kind = r.ReadByte() switch
            {
                0x00 => WasmExternKind.Function,
                0x01 => WasmExternKind.Table,
                0x02 => WasmExternKind.Memory,
                0x03 => WasmExternKind.Global,
                0x04 => WasmExternKind.Tag,
                var other => throw r.Unknown("export kind", other),
            };
            result.Exports.Add(new WasmExport(name, kind, r.ReadU32()));
        }

        r.ExpectEnd();
    }

    private static void SkipIndices(ref WasmReader r)
    {
        var count = r.ReadCount();
        for (var i = 0; i < count; i++) r.ReadU32();
        r.ExpectEnd();
    }

    private static void ReadTags(ref WasmReader r)
    {
        var count = r.ReadCount(2);
        for (var i = 0; i < count; i++)
        {
            if (r.ReadByte() != 0) throw r.Fail("tag attribute is not 0 (exception)");
            r.ReadU32();
        }

        r.ExpectEnd();
    }
}
