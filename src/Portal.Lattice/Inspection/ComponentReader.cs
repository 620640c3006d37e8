namespace Portal.Lattice.Inspection;

/// <summary>
/// A component's sections (component model Binary.md, version 0x0d). The top level's imports and
/// exports become the WIT world; type, alias, canon and instance sections are decoded for structure
/// only; nested components are read the same way (their imports are not the world's); nested core
/// modules get their preamble and section framing checked, nothing deeper.
/// </summary>
internal static class ComponentReader
{
    private static readonly string[] SectionNames =
        ["custom", "core module", "core instance", "core type", "component", "instance", "alias", "type", "canon", "start", "import", "export", "value"];

    private static readonly string[] SectionContexts = [.. SectionNames.Select(n => $"{n} section")];

    public static void Read(ReadOnlySpan<byte> wasm, InspectionBuilder result)
    {
        var r = new WasmReader(wasm, 0, "component");
        r.Skip(8);
        ReadSections(ref r, result, depth: 0);
    }

    private static void ReadSections(ref WasmReader r, InspectionBuilder result, int depth)
    {
        var top = depth == 0;
        while (!r.AtEnd)
        {
            var sectionOffset = r.Offset;
            var id = r.ReadByte();
            if (id >= SectionNames.Length)
                throw new WasmInspectionException($"unknown component section id {id} at offset {sectionOffset}", sectionOffset);
            var body = CoreModuleReader.SectionBody(ref r, id, SectionNames[id], SectionContexts[id], sectionOffset);
            if (top && id != 0) result.Sections.Add(new WasmSection(id, SectionNames[id], sectionOffset, body.Remaining));
            switch (id)
            {
                case 0:
                    if (top) CustomSectionReader.Read(ref body, sectionOffset, result);
                    else body.SkipName();
                    break;
                case 1:
                    if (top) result.NestedCoreModules++;
                    CheckNestedModule(ref body);
                    break;
                case 2:
                    ReadVector(ref body, ComponentDefinitions.SkipCoreInstance);
                    break;
                case 3:
                    ReadVector(ref body, static (ref WasmReader b) => CoreTypeReader.SkipComponentCoreType(ref b, 0));
                    break;
                case 4:
                    if (top) result.NestedComponents++;
                    ReadNestedComponent(ref body, result, depth + 1);
                    break;
                case 5:
                    ReadVector(ref body, ComponentDefinitions.SkipInstance);
                    break;
                case 6:
                    ReadVector(ref body, ComponentDefinitions.SkipAlias);
                    break;
                case 7:
                    ReadVector(ref body, static (ref WasmReader b) => ComponentTypeReader.SkipDefType(ref b, 0));
                    break;
                case 8:
                    ReadVector(ref body, ComponentDefinitions.SkipCanon);
                    break;
                case 9:
                    ComponentDefinitions.SkipStart(ref body);
                    body.ExpectEnd();
                    break;
                case 10:
                    ReadImports(ref body, top ? result.WorldImports : null);
                    break;
                case 11:
                    ReadExports(ref body, top ? result.WorldExports : null);
                    break;
                case 12:
                    ReadVector(ref body, ComponentDefinitions.SkipValue);
                    break;
            }
        }
    }

    private delegate void EntryReader(ref WasmReader r);

    private static void ReadVector(ref WasmReader r, EntryReader entry)
    {
        var count = r.ReadCount();
        for (var i = 0; i < count; i++) entry(ref r);
        r.ExpectEnd();
    }

    private static void ReadImports(ref WasmReader r, List<WitWorldItem>? world)
    {
        var count = r.ReadCount(4);
        world?.EnsureCapacity(world.Count + (int)count);
        for (var i = 0; i < count; i++)
        {
            var name = ComponentDefinitions.ReadExternName(ref r, world is not null);
            var kind = ComponentTypeReader.ReadExternType(ref r);
            world?.Add(Item(name, kind));
        }

        r.ExpectEnd();
    }

    private static void ReadExports(ref WasmReader r, List<WitWorldItem>? world)
    {
        var count = r.ReadCount(4);
        world?.EnsureCapacity(world.Count + (int)count);
        for (var i = 0; i < count; i++)
        {
            var name = ComponentDefinitions.ReadExternName(ref r, world is not null);
            var kind = ComponentDefinitions.ReadSort(ref r);
            r.ReadU32();
            var ascribed = r.ReadByte();
            if (ascribed == 1) ComponentTypeReader.ReadExternType(ref r);
            else if (ascribed != 0) throw r.Unknown("optional export type flag", ascribed);
            world?.Add(Item(name, kind));
        }

        r.ExpectEnd();
    }

    private static WitWorldItem Item((string Name, string? Implements) name, WitItemKind kind) =>
        new(name.Name, kind, kind == WitItemKind.Instance ? WitInterfaceName.TryParse(name.Implements ?? name.Name) : null);

    private static void ReadNestedComponent(ref WasmReader body, InspectionBuilder result, int depth)
    {
        if (depth > WasmInspector.MaxNesting) throw body.Fail("components nested too deeply");
        var preamble = body.Offset;
        ReadOnlySpan<byte> expected = [0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00];
        if (body.Remaining < 8 || !body.ReadBytes(8).SequenceEqual(expected))
            throw new WasmInspectionException($"nested component at offset {preamble} does not start with a component preamble", preamble);
        var nested = body.Rest("nested component");
        ReadSections(ref nested, result, depth);
    }

    /// <summary>A nested core module: its preamble and that its sections tile its bytes exactly.</summary>
    private static void CheckNestedModule(ref WasmReader body)
    {
        var preamble = body.Offset;
        ReadOnlySpan<byte> expected = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];
        if (body.Remaining < 8 || !body.ReadBytes(8).SequenceEqual(expected))
            throw new WasmInspectionException($"nested core module at offset {preamble} does not start with a core module preamble", preamble);
        var module = body.Rest("nested core module");
        while (!module.AtEnd)
        {
            var sectionOffset = module.Offset;
            var id = module.ReadByte();
            if (id > 13) throw new WasmInspectionException($"unknown section id {id} in a nested core module at offset {sectionOffset}", sectionOffset);
            CoreModuleReader.SectionBody(ref module, id, CoreModuleReader.SectionName(id), CoreModuleReader.SectionContext(id), sectionOffset);
        }
    }
}
