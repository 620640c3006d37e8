using System.Text;
using System.Text.Unicode;

namespace Portal.Lattice.Inspection;

/// <summary>
/// A forward cursor over part of a wasm binary. It knows the absolute offset of its first byte and
/// what it is reading ("import section"), so every failure names both. Nothing here allocates
/// except <see cref="ReadName"/> (one string, at most twice the bytes it consumed).
/// </summary>
internal ref struct WasmReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly long _base;
    private int _position;

    public WasmReader(ReadOnlySpan<byte> data, long baseOffset, string context)
    {
        _data = data;
        _base = baseOffset;
        Context = context;
    }

    /// <summary>What is being read, for messages ("import section", "component type").</summary>
    public string Context { get; }

    /// <summary>Absolute offset of the next byte.</summary>
    public readonly long Offset => _base + _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool AtEnd => _position >= _data.Length;

    public readonly byte Peek() => AtEnd ? throw Truncated(1) : _data[_position];

    public byte ReadByte() => AtEnd ? throw Truncated(1) : _data[_position++];

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining) throw Truncated(count);
        var bytes = _data.Slice(_position, count);
        _position += count;
        return bytes;
    }

    public void Skip(int count) => ReadBytes(count);

    /// <summary>An unsigned LEB128 of at most 32 bits (at most 5 bytes, no bits set beyond 32).</summary>
    public uint ReadU32()
    {
        var start = Offset;
        uint result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = ReadByte();
            if (shift == 28 && (b & 0x70) != 0)
                throw new WasmInspectionException($"LEB128 integer overflows 32 bits in the {Context} at offset {start}", start);
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
            if (shift == 28)
                throw new WasmInspectionException($"LEB128 integer longer than 5 bytes in the {Context} at offset {start}", start);
        }
    }

    /// <summary>An unsigned LEB128 of at most 64 bits (memory64 limits).</summary>
    public ulong ReadU64()
    {
        var start = Offset;
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = ReadByte();
            if (shift == 63 && (b & 0x7E) != 0)
                throw new WasmInspectionException($"LEB128 integer overflows 64 bits in the {Context} at offset {start}", start);
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
            if (shift == 63)
                throw new WasmInspectionException($"LEB128 integer longer than 10 bytes in the {Context} at offset {start}", start);
        }
    }

    /// <summary>
    /// A signed LEB128 of 33 bits: how type positions are encoded, negative values being type codes
    /// (0x7F reads as -1) and non-negative ones type indices.
    /// </summary>
    public long ReadS33()
    {
        var start = Offset;
        long result = 0;
        var shift = 0;
        byte b;
        do
        {
            b = ReadByte();
            if (shift == 28)
            {
                // The 5th byte holds bits 28..32 plus sign extension: the rest must repeat the sign.
                if ((b & 0x80) != 0 || ((b & 0x70) != 0 && (b & 0x70) != 0x70))
                    throw new WasmInspectionException($"LEB128 integer overflows 33 bits in the {Context} at offset {start}", start);
            }

            result |= (long)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
        return result;
    }

    /// <summary>
    /// A vector length, refused when even the smallest encoding of that many items
    /// (<paramref name="minItemBytes"/> each) would not fit in what is left: a count read from the
    /// input never sizes anything on its own.
    /// </summary>
    public uint ReadCount(int minItemBytes = 1)
    {
        var start = Offset;
        var count = ReadU32();
        if ((ulong)count * (ulong)minItemBytes > (ulong)Remaining)
            throw new WasmInspectionException($"{Context} at offset {start} declares {count} entries, more than its remaining {Remaining} bytes can hold", start);
        return count;
    }

    /// <summary>A length-prefixed UTF-8 name, validated but not decoded.</summary>
    public ReadOnlySpan<byte> ReadNameBytes()
    {
        var start = Offset;
        var length = ReadU32();
        if (length > Remaining)
            throw new WasmInspectionException($"name of {length} bytes runs past the end of the {Context} at offset {start}", start);
        var bytes = ReadBytes((int)length);
        if (!Utf8.IsValid(bytes))
            throw new WasmInspectionException($"name is not valid UTF-8 in the {Context} at offset {start}", start);
        return bytes;
    }

    public string ReadName() => Encoding.UTF8.GetString(ReadNameBytes());

    public void SkipName() => ReadNameBytes();

    /// <summary>The next <paramref name="length"/> bytes as their own reader; this one moves past them.</summary>
    public WasmReader Slice(int length, string context)
    {
        var start = Offset;
        return new WasmReader(ReadBytes(length), start, context);
    }

    /// <summary>Everything not read yet, as a reader of its own; this one ends.</summary>
    public WasmReader Rest(string context) => Slice(Remaining, context);

    public readonly void ExpectEnd()
    {
        if (!AtEnd)
            throw new WasmInspectionException($"{Context} has {Remaining} unexpected bytes at its end at offset {Offset}", Offset);
    }

    /// <summary>A failure at the current position.</summary>
    public readonly WasmInspectionException Fail(string what) =>
        new($"{what} in the {Context} at offset {Offset}", Offset);

    /// <summary>A failure for an opcode just read (one byte back).</summary>
    public readonly WasmInspectionException Unknown(string what, byte value) =>
        new($"unknown {what} 0x{value:X2} in the {Context} at offset {Offset - 1}", Offset - 1);

    private readonly WasmInspectionException Truncated(int wanted) =>
        new($"unexpected end of the {Context} at offset {Offset}: {wanted} more byte(s) needed, {Remaining} left", Offset);
}
