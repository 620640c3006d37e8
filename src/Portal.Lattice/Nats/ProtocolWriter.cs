using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Portal.Lattice.Nats;

/// <summary>Formats client protocol operations straight into an output buffer (no intermediate strings).</summary>
internal static class ProtocolWriter
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    public static void WritePing(IBufferWriter<byte> writer) => writer.Write("PING\r\n"u8);

    public static void WritePong(IBufferWriter<byte> writer) => writer.Write("PONG\r\n"u8);

    public static void WriteConnect(IBufferWriter<byte> writer, ReadOnlySpan<byte> json)
    {
        writer.Write("CONNECT "u8);
        writer.Write(json);
        writer.Write(Crlf);
    }

    public static void WritePublish(IBufferWriter<byte> writer, string subject, string? replyTo, NatsHeaders? headers, ReadOnlySpan<byte> payload)
    {
        var headerLength = headers?.GetByteCount() ?? 0;
        // Control line: verb, subject, optional reply, one or two sizes. 24 bytes cover verb + numbers + spaces.
        var max = 24 + Encoding.UTF8.GetMaxByteCount(subject.Length) + (replyTo is null ? 0 : Encoding.UTF8.GetMaxByteCount(replyTo.Length) + 1) + 20;
        var span = writer.GetSpan(max + headerLength + payload.Length + 2);
        var n = 0;
        if (headers is null)
        {
            "PUB "u8.CopyTo(span);
            n = 4;
        }
        else
        {
            "HPUB "u8.CopyTo(span);
            n = 5;
        }

        n += Encoding.UTF8.GetBytes(subject, span[n..]);
        span[n++] = (byte)' ';
        if (replyTo is not null)
        {
            n += Encoding.UTF8.GetBytes(replyTo, span[n..]);
            span[n++] = (byte)' ';
        }

        if (headers is not null)
        {
            Utf8Formatter.TryFormat(headerLength, span[n..], out var w);
            n += w;
            span[n++] = (byte)' ';
        }

        Utf8Formatter.TryFormat(headerLength + payload.Length, span[n..], out var written);
        n += written;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        if (headers is not null) n += headers.WriteTo(span[n..]);
        payload.CopyTo(span[n..]);
        n += payload.Length;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }

    public static void WriteSubscribe(IBufferWriter<byte> writer, int sid, string subject, string? queueGroup)
    {
        var span = writer.GetSpan(16 + Encoding.UTF8.GetMaxByteCount(subject.Length) + (queueGroup is null ? 0 : Encoding.UTF8.GetMaxByteCount(queueGroup.Length) + 1) + 12);
        "SUB "u8.CopyTo(span);
        var n = 4;
        n += Encoding.UTF8.GetBytes(subject, span[n..]);
        span[n++] = (byte)' ';
        if (queueGroup is not null)
        {
            n += Encoding.UTF8.GetBytes(queueGroup, span[n..]);
            span[n++] = (byte)' ';
        }

        Utf8Formatter.TryFormat(sid, span[n..], out var written);
        n += written;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }

    public static void WriteUnsubscribe(IBufferWriter<byte> writer, int sid)
    {
        var span = writer.GetSpan(32);
        "UNSUB "u8.CopyTo(span);
        var n = 6;
        Utf8Formatter.TryFormat(sid, span[n..], out var written);
        n += written;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }

    /// <summary>Subjects and queue names are single protocol tokens: no whitespace, not empty.</summary>
    public static void ValidateSubject(string subject, string parameter)
    {
        if (string.IsNullOrEmpty(subject) || subject.AsSpan().IndexOfAny(" \t\r\n") >= 0)
            throw new ArgumentException($"invalid NATS subject '{subject}'", parameter);
    }
}
