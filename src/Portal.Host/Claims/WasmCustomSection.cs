namespace Portal.Host.Claims;

/// <summary>
/// Finds a custom section (id 0) by name among the top-level sections of a core module or a
/// component: both start with the 8-byte preamble and then use the same section framing
/// (id byte, LEB128 size, content; a custom section's content starts with its LEB128-prefixed name).
/// </summary>
public static class WasmCustomSection
{
    /// <summary>The first custom section called <paramref name="name"/>'s payload, or null when there is none (or the binary is cut short).</summary>
    public static ReadOnlyMemory<byte>? Find(ReadOnlyMemory<byte> wasm, string name)
    {
        var span = wasm.Span;
        var offset = 8;
        while (offset < span.Length)
        {
            var id = span[offset++];
            if (!TryLeb(span, ref offset, out var size) || size > (ulong)(span.Length - offset)) return null;
            var end = offset + (int)size;
            if (id == 0)
            {
                var at = offset;
                if (TryLeb(span, ref at, out var nameLength) && nameLength <= (ulong)(end - at)
                    && System.Text.Encoding.UTF8.GetString(span.Slice(at, (int)nameLength)) == name)
                {
                    var payload = at + (int)nameLength;
                    return wasm[payload..end];
                }
            }

            offset = end;
        }

        return null;
    }

    private static bool TryLeb(ReadOnlySpan<byte> span, ref int offset, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 35 && offset < span.Length; shift += 7)
        {
            var b = span[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }

        return false;
    }
}
