using System.Collections.Immutable;

namespace Portal.Lattice.Inspection;

/// <summary>What the section readers collect while they walk a binary; frozen into a <see cref="WasmInspection"/> at the end.</summary>
internal sealed class InspectionBuilder(WasmBinaryKind kind, long size)
{
    public WasmBinaryKind Kind { get; } = kind;

    public List<WasmSection> Sections { get; } = [];

    public List<WasmImport> Imports { get; } = [];

    public List<WasmExport> Exports { get; } = [];

    public List<WasmMemory> Memories { get; } = [];

    public List<WasmCustomSection> CustomSections { get; } = [];

    public List<WitWorldItem> WorldImports { get; } = [];

    public List<WitWorldItem> WorldExports { get; } = [];

    public List<WasmProducerField> Producers { get; } = [];

    public string? Name { get; set; }

    public bool SeenNameSection { get; set; }

    public bool SeenProducersSection { get; set; }

    public int NestedCoreModules { get; set; }

    public int NestedComponents { get; set; }

    /// <summary>The first top-level JWT custom section: where its payload lies, and its name.</summary>
    public (int Start, int Length, string Name, long Offset)? ClaimsSection { get; set; }

    public WasmClaims? Claims { get; set; }

    public WasmInspection Build()
    {
        var wasi = Imports
            .Where(i => i.Kind == WasmExternKind.Function && i.Module is "wasi_snapshot_preview1" or "wasi_unstable")
            .Select(i => i.Name)
            .Distinct(StringComparer.Ordinal);
        return new WasmInspection
        {
            Kind = Kind,
            Size = size,
            Sections = [.. Sections],
            Imports = [.. Imports],
            Exports = [.. Exports],
            WasiFunctions = [.. wasi],
            Memories = [.. Memories],
            CustomSections = [.. CustomSections],
            Name = Name,
            Producers = [.. Producers],
            World = Kind == WasmBinaryKind.Component ? new WitWorld([.. WorldImports], [.. WorldExports]) : null,
            NestedCoreModules = NestedCoreModules,
            NestedComponents = NestedComponents,
            Claims = Claims,
            IsCgiCommand = Kind == WasmBinaryKind.CoreModule && Exports.Any(e => e.Kind == WasmExternKind.Function && e.Name == "_start"),
        };
    }
}
