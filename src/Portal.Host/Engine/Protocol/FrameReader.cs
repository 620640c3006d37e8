using System.Buffers.Binary;

namespace Portal.Host.Engine.Protocol;

/// <summary>
/// Reads whole frames from the sidecar's stdout. One thread owns it and blocks in <see cref="Read"/>:
/// a blocking read on a dedicated thread wakes once per batch of answers, where an asynchronous read
/// costs an epoll wake-up plus a hop to the thread pool each time.
/// </summary>
public sealed class FrameReader(Stream stream)
{
    private readonly byte[] _header = new byte[Frame.HeaderSize];
    private readonly BufferedStream _input = new(stream, 64 * 1024);

    /// <summary>The next frame, or null at end of stream (the sidecar went away).</summary>
    public Frame? Read()
    {
        var got = _input.ReadAtLeast(_header, Frame.HeaderSize, throwOnEndOfStream: false);
        if (got < Frame.HeaderSize) return null;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_header);
        if (length > int.MaxValue) throw new InvalidDataException($"Frame of {length} bytes is too large.");
        var payload = length == 0 ? [] : new byte[length];
        _input.ReadExactly(payload);
        return new Frame((FrameType)_header[4], BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(8)), payload);
    }
}
