using System.Buffers.Binary;

namespace Portal.Host.Engine.Protocol;

/// <summary>Reads whole frames from the sidecar's stdout. One reader loop owns it.</summary>
public sealed class FrameReader(Stream stream)
{
    private readonly byte[] _header = new byte[Frame.HeaderSize];
    private readonly BufferedStream _input = new(stream, 64 * 1024);

    /// <summary>The next frame, or null at end of stream (the sidecar went away).</summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        var got = await _input.ReadAtLeastAsync(_header, Frame.HeaderSize, throwOnEndOfStream: false, cancellationToken);
        if (got < Frame.HeaderSize) return null;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_header);
        if (length > int.MaxValue) throw new InvalidDataException($"Frame of {length} bytes is too large.");
        var payload = length == 0 ? [] : new byte[length];
        await _input.ReadExactlyAsync(payload, cancellationToken);
        return new Frame((FrameType)_header[4], BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(8)), payload);
    }
}
