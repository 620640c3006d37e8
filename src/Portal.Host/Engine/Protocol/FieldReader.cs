using System.Buffers.Binary;
using System.Text;

namespace Portal.Host.Engine.Protocol;

/// <summary>Reads a payload's fields in order: u32 integers and u32-length-prefixed byte strings.</summary>
public sealed class FieldReader(byte[] payload)
{
    private int _offset;

    public uint U32()
    {
        var value = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(_offset, 4));
        _offset += 4;
        return value;
    }

    public ReadOnlyMemory<byte> Bytes()
    {
        var length = checked((int)U32());
        if (length > payload.Length - _offset) throw new InvalidDataException("Field overruns its frame.");
        var slice = new ReadOnlyMemory<byte>(payload, _offset, length);
        _offset += length;
        return slice;
    }

    public string String() => Encoding.UTF8.GetString(Bytes().Span);

    public List<KeyValuePair<string, string>> Pairs()
    {
        var count = (int)U32();
        var list = new List<KeyValuePair<string, string>>(count);
        for (var i = 0; i < count; i++) list.Add(new(String(), String()));
        return list;
    }
}
