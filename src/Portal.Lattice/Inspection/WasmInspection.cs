using System.Collections.Immutable;

namespace Portal.Lattice.Inspection;

/// <summary>Core modules (version 1, layer 0) vs components (version 0x0d, layer 1).</summary>
public enum WasmBinaryKind
{
    CoreModule,
    Component,
}

/// <summary>
/// What <see cref="WasmInspector"/> found in one binary. Core-module fields (imports, exports,
/// memories, WASI functions) are empty for components; <see cref="World"/> is null for modules.
/// </summary>
public sealed record WasmInspection
{
    public required WasmBinaryKind Kind { get; init; }

    /// <summary>Size of the whole binary in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Top-level sections other than custom ones, in file order (custom sections are in <see cref="CustomSections"/>).</summary>
    public ImmutableArray<WasmSection> Sections { get; init; } = [];

    /// <summary>Core module imports, in order.</summary>
    public ImmutableArray<WasmImport> Imports { get; init; } = [];

    /// <summary>Core module exports, in order.</summary>
    public ImmutableArray<WasmExport> Exports { get; init; } = [];

    /// <summary>Functions imported from <c>wasi_snapshot_preview1</c> (or the older <c>wasi_unstable</c>), distinct, in import order.</summary>
    public ImmutableArray<string> WasiFunctions { get; init; } = [];

    /// <summary>Imported memories first, then defined ones: the module's memory index order.</summary>
    public ImmutableArray<WasmMemory> Memories { get; init; } = [];

    /// <summary>Top-level custom sections (nested modules' and components' are not listed).</summary>
    public ImmutableArray<WasmCustomSection> CustomSections { get; init; } = [];

    /// <summary>The module's (or component's) own name from its <c>name</c> (<c>component-name</c>) section.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>producers</c> section: language, processed-by, sdk, each with name/version pairs.</summary>
    public ImmutableArray<WasmProducerField> Producers { get; init; } = [];

    /// <summary>A component's imports and exports (its WIT world); null for core modules.</summary>
    public WitWorld? World { get; init; }

    /// <summary>Core modules and components nested directly in a component (not decoded further).</summary>
    public int NestedCoreModules { get; init; }

    public int NestedComponents { get; init; }

    /// <summary>Embedded wasmCloud claims (the JWT custom section), if present.</summary>
    public WasmClaims? Claims { get; init; }

    /// <summary>
    /// A WASI command: a core module exporting the function <c>_start</c>. Our host runs these as CGI
    /// handlers (request in environment and stdin, response on stdout).
    /// </summary>
    public bool IsCgiCommand { get; init; }
}

/// <summary>One top-level section: its id, its name (by the kind's numbering), where its header starts and its content size.</summary>
public sealed record WasmSection(byte Id, string Name, long Offset, long Size);

/// <summary>What an import or export of a core module is.</summary>
public enum WasmExternKind
{
    Function,
    Table,
    Memory,
    Global,
    Tag,
}

public sealed record WasmImport(string Module, string Name, WasmExternKind Kind);

public sealed record WasmExport(string Name, WasmExternKind Kind, uint Index);

/// <summary>
/// A linear memory. Sizes are in pages (64 KiB unless the custom-page-sizes proposal sets
/// <see cref="PageSizeLog2"/>). <see cref="ImportModule"/>/<see cref="ImportName"/> are set for an imported memory.
/// </summary>
public sealed record WasmMemory(ulong MinPages, ulong? MaxPages, bool Is64, bool Shared, int PageSizeLog2 = 16,
    string? ImportModule = null, string? ImportName = null)
{
    public bool IsImported => ImportName is not null;
}

/// <summary>A custom section: its name, where its header starts, and its content size (name included).</summary>
public sealed record WasmCustomSection(string Name, long Offset, long Size);

/// <summary>One field of the producers section, e.g. <c>processed-by</c> with <c>clang 14.0.6</c>.</summary>
public sealed record WasmProducerField(string Name, ImmutableArray<WasmProducerValue> Values);

public sealed record WasmProducerValue(string Name, string Version);
