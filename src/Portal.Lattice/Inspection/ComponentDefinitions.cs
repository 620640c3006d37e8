namespace Portal.Lattice.Inspection;

/// <summary>
/// The component model's definitions other than types: instances, aliases, canonical functions,
/// start, values, and the names and sorts imports and exports use (Binary.md, version 0x0d).
/// </summary>
internal static class ComponentDefinitions
{
    /// <summary>
    /// An import or export name with its attributes. The name is decoded only when
    /// <paramref name="materialize"/> (top-level imports and exports); a version-suffix attribute is
    /// appended to it (<c>@0.2</c> + <c>.12</c> reads <c>@0.2.12</c>); an <c>implements</c> attribute names the interface a plain name stands for.
    /// </summary>
    public static (string Name, string? Implements) ReadExternName(ref WasmReader r, bool materialize)
    {
        var form = r.ReadByte();
        if (form > 2) throw r.Unknown("name form", form);
        var name = r.ReadNameBytes();
        string? implements = null, suffix = null;
        if (form == 2)
        {
            var attributes = r.ReadCount(2);
            for (var i = 0; i < attributes; i++)
            {
                var attribute = r.ReadByte();
                switch (attribute)
                {
                    case 0x00:
                        implements = materialize ? r.ReadName() : Skip(ref r);
                        break;
                    case 0x01:
                        suffix = materialize ? r.ReadName() : Skip(ref r);
                        break;
                    case 0x02:
                        r.SkipName();
                        break;
                    default:
                        throw r.Unknown("name attribute", attribute);
                }
            }
        }

        if (!materialize) return ("", null);
        var text = System.Text.Encoding.UTF8.GetString(name);
        return (suffix is null ? text : text + suffix, implements);

        static string? Skip(ref WasmReader r)
        {
            r.SkipName();
            return null;
        }
    }

    /// <summary>A sort (what an index refers to); core sorts other than module are reported as their component-level kin.</summary>
    public static WitItemKind ReadSort(ref WasmReader r)
    {
        var sort = r.ReadByte();
        switch (sort)
        {
            case 0x00:
                var core = r.ReadByte();
                if (core is not (<= 0x04 or (>= 0x10 and <= 0x12))) throw r.Unknown("core sort", core);
                return WitItemKind.CoreModule;
            case 0x01: return WitItemKind.Function;
            case 0x02: return WitItemKind.Value;
            case 0x03: return WitItemKind.Type;
            case 0x04: return WitItemKind.Component;
            case 0x05: return WitItemKind.Instance;
            default: throw r.Unknown("sort", sort);
        }
    }

    private static void SkipSortIndex(ref WasmReader r)
    {
        ReadSort(ref r);
        r.ReadU32();
    }

    public static void SkipCoreInstance(ref WasmReader r)
    {
        var form = r.ReadByte();
        switch (form)
        {
            case 0x00: // instantiate a module with named instances as arguments
                r.ReadU32();
                var arguments = r.ReadCount(3);
                for (var i = 0; i < arguments; i++)
                {
                    r.SkipName();
                    if (r.ReadByte() != 0x12) throw r.Fail("core instantiation argument is not an instance");
                    r.ReadU32();
                }

                return;
            case 0x01: // a bag of exports
                var exports = r.ReadCount(3);
                for (var i = 0; i < exports; i++)
                {
                    r.SkipName();
                    var sort = r.ReadByte();
                    if (sort is not (<= 0x04 or (>= 0x10 and <= 0x12))) throw r.Unknown("core sort", sort);
                    r.ReadU32();
                }

                return;
            default:
                throw r.Unknown("core instance form", form);
        }
    }

    public static void SkipInstance(ref WasmReader r)
    {
        var form = r.ReadByte();
        switch (form)
        {
            case 0x00: // instantiate a component
                r.ReadU32();
                var arguments = r.ReadCount(3);
                for (var i = 0; i < arguments; i++)
                {
                    r.SkipName();
                    SkipSortIndex(ref r);
                }

                return;
            case 0x01: // a bag of exports
                var exports = r.ReadCount(4);
                for (var i = 0; i < exports; i++)
                {
                    ReadExternName(ref r, materialize: false);
                    SkipSortIndex(ref r);
                }

                return;
            default:
                throw r.Unknown("instance form", form);
        }
    }

    public static void SkipAlias(ref WasmReader r)
    {
        ReadSort(ref r);
        var target = r.ReadByte();
        switch (target)
        {
            case 0x00: // export of an instance
            case 0x01: // export of a core instance
                r.ReadU32();
                r.SkipName();
                return;
            case 0x02: // outer: enclosing scope count, index
                r.ReadU32();
                r.ReadU32();
                return;
            default:
                throw r.Unknown("alias target", target);
        }
    }

    /// <summary>Canonical definitions: lift, lower, resource and the async/thread built-ins.</summary>
    public static void SkipCanon(ref WasmReader r)
    {
        var op = r.ReadByte();
        switch (op)
        {
            case 0x00: // lift: core func, options, type
                if (r.ReadByte() != 0x00) throw r.Fail("canon lift of something other than a core function");
                r.ReadU32();
                SkipOptions(ref r);
                r.ReadU32();
                return;
            case 0x01: // lower: func, options
                if (r.ReadByte() != 0x00) throw r.Fail("canon lower of something other than a function");
                r.ReadU32();
                SkipOptions(ref r);
                return;
            case 0x02 or 0x03 or 0x04: // resource.new / drop / rep
            case 0x0e or 0x13 or 0x14 or 0x15 or 0x1a or 0x1b: // stream/future new and drop
                r.ReadU32();
                return;
            case 0x05 or 0x0d or 0x1e or 0x1f or 0x22 or 0x23 or 0x24 or 0x25 or 0x26 or 0x28:
                return;
            case 0x06: // subtask.cancel async?
            case 0x0c or 0x29 or 0x2a or 0x2b or 0x2c or 0x2d: // thread yield/suspend cancel?
            case 0x42: // available-parallelism shared?
                SkipFlag(ref r);
                return;
            case 0x09: // task.return
                SkipResultList(ref r);
                SkipOptions(ref r);
                return;
            case 0x0a or 0x0b: // context.get/set: core type, index
                CoreTypeReader.SkipValType(ref r);
                r.ReadU32();
                return;
            case 0x0f or 0x10 or 0x16 or 0x17: // stream/future read and write
                r.ReadU32();
                SkipOptions(ref r);
                return;
            case 0x11 or 0x12 or 0x18 or 0x19: // cancel-read/write: type, async?
                r.ReadU32();
                SkipFlag(ref r);
                return;
            case 0x1c or 0x1d: // error-context new / debug-message
                SkipOptions(ref r);
                return;
            case 0x20 or 0x21: // waitable-set wait/poll: cancel?, memory
                SkipFlag(ref r);
                r.ReadU32();
                return;
            case 0x27: // thread.new-indirect: type, table
                r.ReadU32();
                r.ReadU32();
                return;
            case 0x40: // thread.spawn-ref: shared?, type
                SkipFlag(ref r);
                r.ReadU32();
                return;
            case 0x41: // thread.spawn-indirect: shared?, type, table
                SkipFlag(ref r);
                r.ReadU32();
                r.ReadU32();
                return;
            default:
                throw r.Unknown("canonical function", op);
        }
    }

    private static void SkipOptions(ref WasmReader r)
    {
        var count = r.ReadCount();
        for (var i = 0; i < count; i++)
        {
            var option = r.ReadByte();
            switch (option)
            {
                case 0x00 or 0x01 or 0x02 or 0x06: // string encodings, async
                    break;
                case 0x03 or 0x04 or 0x05 or 0x07: // memory, realloc, post-return, callback
                    r.ReadU32();
                    break;
                default:
                    throw r.Unknown("canonical option", option);
            }
        }
    }

    /// <summary>A result list: 0x00 and one type, or 0x01 and a count (0 today; named results in older encodings).</summary>
    public static void SkipResultList(ref WasmReader r)
    {
        var form = r.ReadByte();
        switch (form)
        {
            case 0x00:
                ComponentTypeReader.SkipValType(ref r);
                return;
            case 0x01:
                var named = r.ReadCount(2);
                for (var i = 0; i < named; i++)
                {
                    r.SkipName();
                    ComponentTypeReader.SkipValType(ref r);
                }

                return;
            default:
                throw r.Unknown("result list form", form);
        }
    }

    private static void SkipFlag(ref WasmReader r)
    {
        var flag = r.ReadByte();
        if (flag > 1) throw r.Unknown("flag (expected 0 or 1)", flag);
    }

    public static void SkipStart(ref WasmReader r)
    {
        r.ReadU32();
        var arguments = r.ReadCount();
        for (var i = 0; i < arguments; i++) r.ReadU32();
        r.ReadU32();
    }

    /// <summary>A value definition: its type, then its encoding behind a byte length.</summary>
    public static void SkipValue(ref WasmReader r)
    {
        ComponentTypeReader.SkipValType(ref r);
        var length = r.ReadU32();
        if (length > r.Remaining) throw r.Fail($"value of {length} bytes runs past the end");
        r.Skip((int)length);
    }
}
