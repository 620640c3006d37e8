using System.Buffers;
using System.Collections;
using System.Text;

namespace Portal.Lattice.Nats;

/// <summary>
/// NATS message headers (the HPUB/HMSG block: <c>NATS/1.0[ code[ description]]</c>, then
/// <c>Key: Value</c> lines). Keys may repeat, order is kept; look-ups ignore case.
/// </summary>
public sealed class NatsHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private static ReadOnlySpan<byte> Version => "NATS/1.0"u8;
    private readonly List<KeyValuePair<string, string>> _entries = [];

    /// <summary>Status code of a server-made message (503 no responders, 404 not found, 100 heartbeat); 0 if none.</summary>
    public int Code { get; set; }

    /// <summary>Text after the status code, e.g. "Message Not Found".</summary>
    public string? Description { get; set; }

    public int Count => _entries.Count;

    /// <summary>First value of <paramref name="key"/>; setting replaces every value.</summary>
    public string? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : null;
        set
        {
            Remove(key);
            if (value is not null) _entries.Add(new(key, value));
        }
    }

    public NatsHeaders Add(string key, string value)
    {
        if (key.Length == 0 || key.AsSpan().IndexOfAny(" :\r\n") >= 0) throw new ArgumentException($"invalid header key '{key}'", nameof(key));
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0) throw new ArgumentException("header value contains a line break", nameof(value));
        _entries.Add(new(key, value));
        return this;
    }

    public bool TryGetValue(string key, out string value)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                value = entry.Value;
                return true;
            }
        }

        value = "";
        return false;
    }

    public IEnumerable<string> GetValues(string key) =>
        _entries.Where(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)).Select(e => e.Value);

    public bool Remove(string key) => _entries.RemoveAll(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)) > 0;

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Bytes <see cref="WriteTo"/> produces, including the closing blank line.</summary>
    internal int GetByteCount()
    {
        var n = Version.Length + 2 + 2;
        if (Code != 0) n += 4 + (Description is null ? 0 : 1 + Encoding.UTF8.GetByteCount(Description));
        foreach (var (key, value) in _entries) n += Encoding.UTF8.GetByteCount(key) + 2 + Encoding.UTF8.GetByteCount(value) + 2;
        return n;
    }

    internal int WriteTo(Span<byte> destination)
    {
        var n = 0;
        Version.CopyTo(destination);
        n += Version.Length;
        if (Code != 0)
        {
            destination[n++] = (byte)' ';
            n += Encoding.ASCII.GetBytes(Code.ToString("000"), destination[n..]);
            if (Description is not null)
            {
                destination[n++] = (byte)' ';
                n += Encoding.UTF8.GetBytes(Description, destination[n..]);
            }
        }

        destination[n++] = (byte)'\r';
        destination[n++] = (byte)'\n';
        foreach (var (key, value) in _entries)
        {
            n += Encoding.UTF8.GetBytes(key, destination[n..]);
            destination[n++] = (byte)':';
            destination[n++] = (byte)' ';
            n += Encoding.UTF8.GetBytes(value, destination[n..]);
            destination[n++] = (byte)'\r';
            destination[n++] = (byte)'\n';
        }

        destination[n++] = (byte)'\r';
        destination[n++] = (byte)'\n';
        return n;
    }

    /// <summary>Parses a header block as it appears in HMSG (version line, fields, blank line).</summary>
    public static NatsHeaders Parse(ReadOnlySpan<byte> block)
    {
        var headers = new NatsHeaders();
        var lineEnd = block.IndexOf("\r\n"u8);
        var first = lineEnd < 0 ? block : block[..lineEnd];
        if (!first.StartsWith(Version)) throw new NatsException("header block does not start with NATS/1.0");
        var status = first[Version.Length..].TrimStart((byte)' ');
        if (status.Length >= 3 && int.TryParse(status[..3], out var code))
        {
            headers.Code = code;
            var description = status[3..].Trim((byte)' ');
            if (description.Length > 0) headers.Description = Encoding.UTF8.GetString(description);
        }

        var rest = lineEnd < 0 ? [] : block[(lineEnd + 2)..];
        while (rest.Length > 0)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            if (line.Length == 0) continue;
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) continue;
            headers._entries.Add(new(
                Encoding.UTF8.GetString(line[..colon].Trim((byte)' ')),
                Encoding.UTF8.GetString(line[(colon + 1)..].Trim((byte)' '))));
        }

        return headers;
    }

    internal static NatsHeaders Parse(in ReadOnlySequence<byte> block) =>
        block.IsSingleSegment ? Parse(block.FirstSpan) : Parse(block.ToArray());

    public override string ToString()
    {
        var buffer = new byte[GetByteCount()];
        return Encoding.UTF8.GetString(buffer, 0, WriteTo(buffer));
    }
}
