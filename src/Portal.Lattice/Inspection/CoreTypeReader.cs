namespace Portal.Lattice.Inspection;

/// <summary>
/// Core WebAssembly type encodings shared by modules and components: value types (with the GC
/// proposal's reference types), limits, import descriptions, and the type definitions a
/// component's core type section holds (function, struct, array, recursion groups, module types).
/// </summary>
internal static class CoreTypeReader
{
    private const byte RefNull = 0x63, Ref = 0x64;

    public static void SkipValType(ref WasmReader r)
    {
        var code = r.ReadByte();
        if (code is >= 0x7B and <= 0x7F) return; // i32 i64 f32 f64 v128
        if (IsAbstractHeapType(code)) return;    // funcref, externref and the GC shorthands
        if (code is RefNull or Ref)
        {
            SkipHeapType(ref r);
            return;
        }

        throw r.Unknown("value type", code);
    }

    private static void SkipRefType(ref WasmReader r)
    {
        var code = r.ReadByte();
        if (IsAbstractHeapType(code)) return;
        if (code is RefNull or Ref)
        {
            SkipHeapType(ref r);
            return;
        }

        throw r.Unknown("reference type", code);
    }

    /// <summary>A heap type: a negative s33 is an abstract type code, a non-negative one a type index.</summary>
    private static void SkipHeapType(ref WasmReader r)
    {
        var value = r.ReadS33();
        if (value >= 0) return;
        var code = (byte)(value & 0x7F);
        if (value < -64 || !IsAbstractHeapType(code)) throw r.Fail($"unknown heap type {value}");
    }

    // 0x69 exn .. 0x74 noexn: exn array struct i31 eq any extern func none noextern nofunc noexn.
    private static bool IsAbstractHeapType(byte code) => code is >= 0x69 and <= 0x74;

    /// <summary>Limits as read, before they become a <see cref="WasmMemory"/> (a struct: an import's become one object, not two).</summary>
    public readonly record struct Limits(ulong Min, ulong? Max, bool Is64, bool Shared, int PageSizeLog2)
    {
        public WasmMemory ToMemory(string? module = null, string? name = null) => new(Min, Max, Is64, Shared, PageSizeLog2, module, name);
    }

    /// <summary>Limits of a memory or table: flags (bit 0 max present, 1 shared, 2 64-bit, 3 custom page size), min, max, page size.</summary>
    public static Limits ReadLimits(ref WasmReader r)
    {
        var flags = r.ReadByte();
        if (flags > 0x0F) throw r.Unknown("limits flags", flags);
        var is64 = (flags & 0x04) != 0;
        var min = is64 ? r.ReadU64() : r.ReadU32();
        ulong? max = (flags & 0x01) != 0 ? is64 ? r.ReadU64() : r.ReadU32() : null;
        var pageSizeLog2 = 16;
        if ((flags & 0x08) != 0)
        {
            var log2 = r.ReadU32();
            if (log2 > 64) throw r.Fail($"page size 2^{log2} out of range");
            pageSizeLog2 = (int)log2;
        }

        return new Limits(min, max, is64, (flags & 0x02) != 0, pageSizeLog2);
    }

    private static void SkipLimits(ref WasmReader r)
    {
        var flags = r.ReadByte();
        if (flags > 0x0F) throw r.Unknown("limits flags", flags);
        var is64 = (flags & 0x04) != 0;
        if (is64) r.ReadU64();
        else r.ReadU32();
        if ((flags & 0x01) != 0)
        {
            if (is64) r.ReadU64();
            else r.ReadU32();
        }

        if ((flags & 0x08) != 0) r.ReadU32();
    }

    /// <summary>An import description (also a core export declaration's type); the memory's limits when it is one.</summary>
    public static WasmExternKind ReadExternType(ref WasmReader r, out Limits? memory)
    {
        memory = null;
        var kind = r.ReadByte();
        switch (kind)
        {
            case 0x00:
                r.ReadU32();
                return WasmExternKind.Function;
            case 0x01:
                SkipRefType(ref r);
                SkipLimits(ref r);
                return WasmExternKind.Table;
            case 0x02:
                memory = ReadLimits(ref r);
                return WasmExternKind.Memory;
            case 0x03:
                SkipValType(ref r);
                if (r.ReadByte() > 1) throw r.Fail("global mutability is neither 0 nor 1");
                return WasmExternKind.Global;
            case 0x04:
                if (r.ReadByte() != 0) throw r.Fail("tag attribute is not 0 (exception)");
                r.ReadU32();
                return WasmExternKind.Tag;
            default:
                throw r.Unknown("import kind", kind);
        }
    }

    /// <summary>
    /// One entry of a component's core type section. There 0x50 opens a module type, so a non-final
    /// GC subtype is written 0x00 0x50 (Binary.md's workaround for the clash).
    /// </summary>
    public static void SkipComponentCoreType(ref WasmReader r, int depth)
    {
        if (depth > WasmInspector.MaxNesting) throw r.Fail("types nested too deeply");
        switch (r.Peek())
        {
            case 0x50:
                r.ReadByte();
                SkipModuleType(ref r, depth + 1);
                return;
            case 0x00:
                r.ReadByte();
                if (r.ReadByte() != 0x50) throw r.Fail("expected 0x50 (subtype) after 0x00");
                SkipSubtypeBody(ref r);
                return;
            default:
                SkipRecType(ref r);
                return;
        }
    }

    private static void SkipModuleType(ref WasmReader r, int depth)
    {
        var count = r.ReadCount(2);
        for (var i = 0; i < count; i++)
        {
            var declaration = r.ReadByte();
            switch (declaration)
            {
                case 0x00: // import
                    r.SkipName();
                    r.SkipName();
                    ReadExternType(ref r, out _);
                    break;
                case 0x01: // type; module types cannot nest, so no 0x50 form here
                    if (r.Peek() == 0x50) throw r.Fail("module type nested in a module type");
                    SkipComponentCoreType(ref r, depth + 1);
                    break;
                case 0x02: // outer alias of a type: 0x10 (type sort) 0x01 (outer) count index
                    if (r.ReadByte() != 0x10 || r.ReadByte() != 0x01) throw r.Fail("module type alias is not an outer type alias");
                    r.ReadU32();
                    r.ReadU32();
                    break;
                case 0x03: // export
                    r.SkipName();
                    ReadExternType(ref r, out _);
                    break;
                default:
                    throw r.Unknown("module type declaration", declaration);
            }
        }
    }

    private static void SkipRecType(ref WasmReader r)
    {
        if (r.Peek() == 0x4E)
        {
            r.ReadByte();
            var count = r.ReadCount(2);
            for (var i = 0; i < count; i++) SkipSubtype(ref r);
            return;
        }

        SkipSubtype(ref r);
    }

    private static void SkipSubtype(ref WasmReader r)
    {
        if (r.Peek() is 0x50 or 0x4F)
        {
            r.ReadByte();
            SkipSubtypeBody(ref r);
            return;
        }

        SkipCompositeType(ref r);
    }

    private static void SkipSubtypeBody(ref WasmReader r)
    {
        var supertypes = r.ReadCount();
        for (var i = 0; i < supertypes; i++) r.ReadU32();
        SkipCompositeType(ref r);
    }

    private static void SkipCompositeType(ref WasmReader r)
    {
        var form = r.ReadByte();
        switch (form)
        {
            case 0x60: // func
                var parameters = r.ReadCount();
                for (var i = 0; i < parameters; i++) SkipValType(ref r);
                var results = r.ReadCount();
                for (var i = 0; i < results; i++) SkipValType(ref r);
                return;
            case 0x5F: // struct
                var fields = r.ReadCount(2);
                for (var i = 0; i < fields; i++) SkipFieldType(ref r);
                return;
            case 0x5E: // array
                SkipFieldType(ref r);
                return;
            default:
                throw r.Unknown("core type form", form);
        }
    }

    private static void SkipFieldType(ref WasmReader r)
    {
        if (r.Peek() is 0x78 or 0x77) r.ReadByte(); // packed i8, i16
        else SkipValType(ref r);
        if (r.ReadByte() > 1) throw r.Fail("field mutability is neither 0 nor 1");
    }
}
