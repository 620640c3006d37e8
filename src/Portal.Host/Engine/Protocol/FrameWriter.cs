using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Portal.Host.Engine.Protocol;

/// <summary>
/// Builds one frame into a single pooled buffer (header first, length patched at the end), so the
/// writer loop puts it on the pipe with one write. Dispose returns the buffer to the pool.
/// </summary>
public sealed class FrameWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public FrameWriter(FrameType type, uint requestId, int sizeHint = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Frame.HeaderSize + sizeHint);
        _buffer[4] = (byte)type;
        _buffer[5] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(6), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(8), requestId);
        _length = Frame.HeaderSize;
    }

    public ReadOnlyMemory<byte> Written
    {
        get
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)(_length - Frame.HeaderSize));
            return _buffer.AsMemory(0, _length);
        }
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public FrameWriter U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
        return this;
    }

    public FrameWriter Bytes(ReadOnlySpan<byte> data)
    {
        U32((uint)data.Length);
        data.CopyTo(Reserve(data.Length));
        return this;
    }

    public FrameWriter String(string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        U32((uint)count);
        Encoding.UTF8.GetBytes(text, Reserve(count));
        return this;
    }

    public FrameWriter Pairs(IReadOnlyCollection<KeyValuePair<string, string>> pairs)
    {
        U32((uint)pairs.Count);
        foreach (var (key, value) in pairs) String(key).String(value);
        return this;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
