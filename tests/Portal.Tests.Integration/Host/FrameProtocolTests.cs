using System.Text;
using Portal.Host.Engine.Protocol;

namespace Portal.Tests.Integration.Host;

/// <summary>The C# half of the frame codec: what FrameWriter writes, FrameReader and FieldReader read back.</summary>
public sealed class FrameProtocolTests
{
    [Fact]
    public void Frames_round_trip_through_a_stream_back_to_back()
    {
        var body = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        var stream = new MemoryStream();
        using (var first = new FrameWriter(FrameType.Invoke, 7, sizeHint: 8))
        {
            // A tiny size hint forces the pooled buffer to grow while writing.
            first.String("comp").String("PÖST").Pairs([new("a", "1"), new("b", "ü")]).Bytes(body).U32(42);
            stream.Write(first.Written.Span);
        }

        using (var second = new FrameWriter(FrameType.Ping, uint.MaxValue))
        {
            stream.Write(second.Written.Span);
        }

        stream.Position = 0;
        var reader = new FrameReader(stream);
        var one = reader.Read();
        var two = reader.Read();
        var end = reader.Read();

        Assert.NotNull(one);
        Assert.Equal(FrameType.Invoke, one.Value.Type);
        Assert.Equal(7u, one.Value.RequestId);
        var fields = one.Value.Fields();
        Assert.Equal("comp", fields.String());
        Assert.Equal("PÖST", fields.String());
        Assert.Equal([new("a", "1"), new("b", "ü")], fields.Pairs());
        Assert.True(body.AsSpan().SequenceEqual(fields.Bytes().Span));
        Assert.Equal(42u, fields.U32());
        Assert.NotNull(two);
        Assert.Equal(FrameType.Ping, two.Value.Type);
        Assert.Equal(uint.MaxValue, two.Value.RequestId);
        Assert.Empty(two.Value.Payload);
        Assert.Null(end);
    }

    [Fact]
    public void Header_layout_is_length_type_flags_reserved_id_little_endian()
    {
        using var writer = new FrameWriter(FrameType.Load, 0x01020304);
        writer.U32(0xAABBCCDD);

        var bytes = writer.Written.ToArray();

        Assert.Equal(new byte[] { 4, 0, 0, 0, 0x01, 0, 0, 0, 0x04, 0x03, 0x02, 0x01, 0xDD, 0xCC, 0xBB, 0xAA }, bytes);
    }

    [Fact]
    public void A_field_longer_than_its_frame_is_rejected()
    {
        var payload = new byte[8];
        BitConverter.TryWriteBytes(payload, 100u);

        Assert.Throws<InvalidDataException>(() => new FieldReader(payload).Bytes());
        Assert.Equal("", Encoding.UTF8.GetString(new FieldReader(new byte[4]).Bytes().Span));
    }
}
