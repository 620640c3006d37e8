namespace Portal.Lattice.Inspection;

/// <summary>
/// Component type definitions (Binary.md "Type Definitions"): value types, function, component,
/// instance and resource types, and extern types. Read for structure only; component and
/// instance types nest, so depth is bounded.
/// </summary>
internal static class ComponentTypeReader
{
    // bool s8 u8 s16 u16 s32 u32 s64 u64 f32 f64 char string are 0x7F down to 0x73; error-context is 0x64.
    private static bool IsPrimitive(byte code) => code is (>= 0x73 and <= 0x7F) or 0x64;

    /// <summary>A value type: a negative s33 is a primitive type code, a non-negative one a type index.</summary>
    public static void SkipValType(ref WasmReader r)
    {
        var value = r.ReadS33();
        if (value >= 0) return;
        if (value < -64 || !IsPrimitive((byte)(value & 0x7F))) throw r.Fail($"unknown value type {value}");
    }

    private static void SkipOptionalValType(ref WasmReader r)
    {
        var present = r.ReadByte();
        if (present == 1) SkipValType(ref r);
        else if (present != 0) throw r.Unknown("optional type flag", present);
    }

    public static void SkipDefType(ref WasmReader r, int depth)
    {
        if (depth > WasmInspector.MaxNesting) throw r.Fail("types nested too deeply");
        var form = r.Peek();
        switch (form)
        {
            case 0x40 or 0x43: // func, async func
                r.ReadByte();
                var parameters = r.ReadCount(2);
                for (var i = 0; i < parameters; i++)
                {
                    r.SkipName();
                    SkipValType(ref r);
                }

                ComponentDefinitions.SkipResultList(ref r);
                return;
            case 0x41: // component type
                r.ReadByte();
                var componentDeclarations = r.ReadCount(2);
                for (var i = 0; i < componentDeclarations; i++)
                {
                    if (r.Peek() == 0x03)
                    {
                        r.ReadByte();
                        ComponentDefinitions.ReadExternName(ref r, materialize: false);
                        ReadExternType(ref r);
                    }
                    else
                    {
                        SkipInstanceDeclaration(ref r, depth);
                    }
                }

                return;
            case 0x42: // instance type
                r.ReadByte();
                var instanceDeclarations = r.ReadCount(2);
                for (var i = 0; i < instanceDeclarations; i++) SkipInstanceDeclaration(ref r, depth);
                return;
            case 0x3F: // resource: representation (a core type), optional destructor
                r.ReadByte();
                CoreTypeReader.SkipValType(ref r);
                var destructor = r.ReadByte();
                if (destructor == 1) r.ReadU32();
                else if (destructor != 0) throw r.Unknown("optional destructor flag", destructor);
                return;
            default:
                SkipDefValType(ref r);
                return;
        }
    }

    private static void SkipInstanceDeclaration(ref WasmReader r, int depth)
    {
        var declaration = r.ReadByte();
        switch (declaration)
        {
            case 0x00:
                CoreTypeReader.SkipComponentCoreType(ref r, depth + 1);
                return;
            case 0x01:
                SkipDefType(ref r, depth + 1);
                return;
            case 0x02:
                ComponentDefinitions.SkipAlias(ref r);
                return;
            case 0x04:
                ComponentDefinitions.ReadExternName(ref r, materialize: false);
                ReadExternType(ref r);
                return;
            default:
                throw r.Unknown("instance type declaration", declaration);
        }
    }

    private static void SkipDefValType(ref WasmReader r)
    {
        var code = r.ReadByte();
        if (IsPrimitive(code)) return;
        switch (code)
        {
            case 0x72: // record: labelled fields
                var fields = r.ReadCount(2);
                for (var i = 0; i < fields; i++)
                {
                    r.SkipName();
                    SkipValType(ref r);
                }

                return;
            case 0x71: // variant: cases with an optional payload, then 0x00 (or 0x01 and a refined case in old encodings)
                var cases = r.ReadCount(3);
                for (var i = 0; i < cases; i++)
                {
                    r.SkipName();
                    SkipOptionalValType(ref r);
                    var refines = r.ReadByte();
                    if (refines == 1) r.ReadU32();
                    else if (refines != 0) throw r.Unknown("variant case terminator", refines);
                }

                return;
            case 0x70 or 0x6B: // list, option
                SkipValType(ref r);
                return;
            case 0x67: // fixed-length list
                SkipValType(ref r);
                r.ReadU32();
                return;
            case 0x6F: // tuple
                var elements = r.ReadCount();
                for (var i = 0; i < elements; i++) SkipValType(ref r);
                return;
            case 0x6E or 0x6D: // flags, enum
                var labels = r.ReadCount();
                for (var i = 0; i < labels; i++) r.SkipName();
                return;
            case 0x6A: // result
                SkipOptionalValType(ref r);
                SkipOptionalValType(ref r);
                return;
            case 0x69 or 0x68: // own, borrow
                r.ReadU32();
                return;
            case 0x66 or 0x65: // stream, future
                SkipOptionalValType(ref r);
                return;
            case 0x63: // map
                SkipValType(ref r);
                SkipValType(ref r);
                return;
            default:
                throw r.Unknown("type", code);
        }
    }

    /// <summary>What an import (or an ascribed export) is.</summary>
    public static WitItemKind ReadExternType(ref WasmReader r)
    {
        var kind = r.ReadByte();
        switch (kind)
        {
            case 0x00:
                if (r.ReadByte() != 0x11) throw r.Fail("core extern type is not a module");
                r.ReadU32();
                return WitItemKind.CoreModule;
            case 0x01:
                r.ReadU32();
                return WitItemKind.Function;
            case 0x02: // value bound: eq index, or a type
                var bound = r.ReadByte();
                if (bound == 0) r.ReadU32();
                else if (bound == 1) SkipValType(ref r);
                else throw r.Unknown("value bound", bound);
                return WitItemKind.Value;
            case 0x03: // type bound: eq index, or sub resource
                var typeBound = r.ReadByte();
                if (typeBound == 0) r.ReadU32();
                else if (typeBound != 1) throw r.Unknown("type bound", typeBound);
                return WitItemKind.Type;
            case 0x04:
                r.ReadU32();
                return WitItemKind.Component;
            case 0x05:
                r.ReadU32();
                return WitItemKind.Instance;
            default:
                throw r.Unknown("extern type", kind);
        }
    }
}
