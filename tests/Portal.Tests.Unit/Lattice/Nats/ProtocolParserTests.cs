using System.Buffers;
using System.Text;
using Portal.Lattice.Nats;
using Portal.Lattice.Nats.KeyValue;

namespace Portal.Tests.Unit.Lattice.Nats;

public sealed class ProtocolParserTests
{
    private sealed class Recorder : IProtocolHandler
    {
        public List<string> Ops { get; } = [];

        public void OnMessage(ReadOnlySpan<byte> subject, int sid, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> content)
        {
            var bytes = content.ToArray();
            var headers = headerLength > 0 ? NatsHeaders.Parse(bytes.AsSpan(0, headerLength)) : null;
            Ops.Add($"MSG {Encoding.UTF8.GetString(subject)} {sid} {(replyTo.IsEmpty ? "-" : Encoding.UTF8.GetString(replyTo))} h={headers?.Code ?? -1}/{headers?["K"] ?? ""} {Encoding.UTF8.GetString(bytes.AsSpan(headerLength))}");
        }

        public void OnPing() => Ops.Add("PING");

        public void OnPong() => Ops.Add("PONG");

        public void OnInfo(ReadOnlySpan<byte> json) => Ops.Add("INFO " + Encoding.UTF8.GetString(json));

        public void OnError(string error) => Ops.Add("ERR " + error);
    }

    /// <summary>Splits the input into one segment per byte: the worst case for a parser over pipe buffers.</summary>
    private static ReadOnlySequence<byte> Fragmented(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Segment? first = null, last = null;
        foreach (var b in bytes)
        {
            var segment = new Segment(new[] { b }, last?.RunningIndex + last?.Memory.Length ?? 0);
            if (last is null) first = segment;
            else last.SetNext(segment);
            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }

    private static List<string> ParseAll(ReadOnlySequence<byte> buffer, out long left)
    {
        var recorder = new Recorder();
        while (ProtocolParser.TryParse(ref buffer, recorder))
        {
        }

        left = buffer.Length;
        return recorder.Ops;
    }

    private const string Stream =
        "INFO {\"server_id\":\"x\",\"headers\":true}\r\n" +
        "PING\r\nPONG\r\n+OK\r\n" +
        "MSG a.b 7 5\r\nhello\r\n" +
        "MSG a.b 7 _INBOX.x.1 0\r\n\r\n" +
        "HMSG c 9 r 22 25\r\nNATS/1.0 503\r\nK: v\r\n\r\nabc\r\n" +
        "-ERR 'Permissions Violation'\r\n";

    private static readonly string[] Expected =
    [
        "INFO {\"server_id\":\"x\",\"headers\":true}",
        "PING",
        "PONG",
        "MSG a.b 7 - h=-1/ hello",
        "MSG a.b 7 _INBOX.x.1 h=-1/ ",
        "MSG c 9 r h=503/v abc",
        "ERR Permissions Violation",
    ];

    [Fact]
    public void Parses_every_server_operation_from_one_buffer()
    {
        var ops = ParseAll(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Stream)), out var left);

        Assert.Equal(Expected, ops);
        Assert.Equal(0, left);
    }

    [Fact]
    public void Parses_the_same_when_every_byte_is_its_own_segment()
    {
        var ops = ParseAll(Fragmented(Stream), out var left);

        Assert.Equal(Expected, ops);
        Assert.Equal(0, left);
    }

    [Fact]
    public void Leaves_an_incomplete_message_for_the_next_read()
    {
        var ops = ParseAll(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("PING\r\nMSG a 1 10\r\nhalf")), out var left);

        Assert.Equal(["PING"], ops);
        Assert.Equal("MSG a 1 10\r\nhalf".Length, left);
    }

    [Fact]
    public void Rejects_garbage()
    {
        var buffer = new ReadOnlySequence<byte>("WHAT\r\n"u8.ToArray());

        Assert.Throws<NatsException>(() => ProtocolParser.TryParse(ref buffer, new Recorder()));
    }

    [Fact]
    public void Reads_jetstream_ack_metadata_from_reply_subjects()
    {
        var v1 = AckMetadata.Parse("$JS.ACK.KV_b.cons.1.42.7.1700000000000000000.3");
        var v2 = AckMetadata.Parse("$JS.ACK.dom.acchash.KV_b.cons.1.43.8.1700000000000000000.0.rand");

        Assert.Equal((42UL, 7UL, 3UL), (v1.StreamSequence, v1.ConsumerSequence, v1.Pending));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), v1.Timestamp);
        Assert.Equal((43UL, 0UL), (v2.StreamSequence, v2.Pending));
        Assert.Equal(default, AckMetadata.Parse("_INBOX.x"));
    }
}
