using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Portal.Lattice.Nats;

/// <summary>Receives what <see cref="ProtocolParser"/> finds in the server's byte stream.</summary>
internal interface IProtocolHandler
{
    void OnMessage(ReadOnlySpan<byte> subject, int sid, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> content);

    void OnPing();

    void OnPong();

    void OnInfo(ReadOnlySpan<byte> json);

    void OnError(string error);
}

/// <summary>
/// Server protocol parser over pipe buffers. Parses whole operations only: when a control line or
/// payload is incomplete it leaves the buffer untouched so the caller reads more and retries.
/// </summary>
internal static class ProtocolParser
{
    /// <summary>nats-server's default max_control_line; longer lines mean a broken stream.</summary>
    private const int MaxControlLine = 4096;

    public static bool TryParse(ref ReadOnlySequence<byte> buffer, IProtocolHandler handler)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> lineSequence, "\r\n"u8))
        {
            if (buffer.Length > MaxControlLine * 16) throw new NatsException("protocol error: control line too long");
            return false;
        }

        // Control lines are short; one copy when they straddle two segments is fine.
        var line = lineSequence.IsSingleSegment ? lineSequence.FirstSpan : lineSequence.ToArray();
        if (line.Length == 0)
        {
            buffer = buffer.Slice(reader.Position);
            return true;
        }

        switch (line[0] | 0x20)
        {
            case 'm' when line.Length > 4:
                if (!TryMessage(ref reader, line[4..], headers: false, handler)) return false;
                break;
            case 'h' when line.Length > 5:
                if (!TryMessage(ref reader, line[5..], headers: true, handler)) return false;
                break;
            case 'p' when line.Length >= 4:
                if ((line[1] | 0x20) == 'i') handler.OnPing();
                else handler.OnPong();
                break;
            case 'i' when line.Length > 5:
                handler.OnInfo(line[5..]);
                break;
            case '-':
                handler.OnError(Encoding.UTF8.GetString(line.Length > 5 ? line[5..] : line).Trim().Trim('\''));
                break;
            case '+':
                break; // +OK: we connect with verbose=false, so only in answer to nothing we rely on.
            default:
                throw new NatsException($"protocol error: unexpected line '{Encoding.UTF8.GetString(line)}'");
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }

    /// <summary>MSG subject sid [reply] size / HMSG subject sid [reply] hsize size, then the content and CRLF.</summary>
    private static bool TryMessage(ref SequenceReader<byte> reader, ReadOnlySpan<byte> args, bool headers, IProtocolHandler handler)
    {
        Span<Range> parts = stackalloc Range[6];
        var count = Split(args, parts);
        var expected = headers ? 4 : 3;
        if (count != expected && count != expected + 1) throw new NatsException($"protocol error: bad {(headers ? "HMSG" : "MSG")} line");
        var subject = args[parts[0]];
        var sid = ParseInt(args[parts[1]]);
        var replyTo = count == expected + 1 ? args[parts[2]] : default;
        var total = ParseInt(args[parts[count - 1]]);
        var headerLength = headers ? ParseInt(args[parts[count - 2]]) : 0;
        if (reader.Remaining < total + 2) return false;
        var content = reader.Sequence.Slice(reader.Position, total);
        reader.Advance(total + 2);
        handler.OnMessage(subject, sid, replyTo, headerLength, content);
        return true;
    }

    private static int Split(ReadOnlySpan<byte> args, Span<Range> parts)
    {
        var count = 0;
        var i = 0;
        while (i < args.Length)
        {
            while (i < args.Length && (args[i] == ' ' || args[i] == '\t')) i++;
            if (i >= args.Length) break;
            var start = i;
            while (i < args.Length && args[i] != ' ' && args[i] != '\t') i++;
            if (count == parts.Length) throw new NatsException("protocol error: too many arguments");
            parts[count++] = new Range(start, i);
        }

        return count;
    }

    private static int ParseInt(ReadOnlySpan<byte> text)
    {
        if (!Utf8Parser.TryParse(text, out int value, out var consumed) || consumed != text.Length || value < 0)
            throw new NatsException("protocol error: bad number");
        return value;
    }
}
