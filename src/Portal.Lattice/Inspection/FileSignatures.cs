using System.Text;

namespace Portal.Lattice.Inspection;

/// <summary>
/// Names what a file that is not wasm probably is, from its first bytes, so an upload of the wrong
/// file gets "looks like a PNG image" rather than only "bad magic".
/// </summary>
internal static class FileSignatures
{
    private static readonly (byte[] Magic, int At, string What)[] Known =
    [
        ([0x89, (byte)'P', (byte)'N', (byte)'G'], 0, "a PNG image"),
        ([0xFF, 0xD8, 0xFF], 0, "a JPEG image"),
        ("GIF8"u8.ToArray(), 0, "a GIF image"),
        ("%PDF"u8.ToArray(), 0, "a PDF document"),
        ([(byte)'P', (byte)'K', 3, 4], 0, "a ZIP archive"),
        ([0x1F, 0x8B], 0, "gzip-compressed data (an OCI layer or .tar.gz? upload the .wasm inside)"),
        ([0x28, 0xB5, 0x2F, 0xFD], 0, "zstd-compressed data"),
        ("ustar"u8.ToArray(), 257, "a tar archive"),
        ([0x7F, (byte)'E', (byte)'L', (byte)'F'], 0, "an ELF executable (a native binary, not wasm)"),
        ([(byte)'M', (byte)'Z'], 0, "a Windows executable"),
        ([0xCF, 0xFA, 0xED, 0xFE], 0, "a Mach-O executable"),
        ([0xEF, 0xBB, 0xBF], 0, "UTF-8 text"),
        ("#!"u8.ToArray(), 0, "a script"),
    ];

    public static string Describe(ReadOnlySpan<byte> data)
    {
        var head = data[..Math.Min(8, data.Length)];
        var hex = Convert.ToHexString(head);
        var bytes = string.Join(' ', Enumerable.Range(0, head.Length).Select(i => hex.Substring(i * 2, 2)));
        return $"{Guess(data)} (first bytes {bytes})";
    }

    private static string Guess(ReadOnlySpan<byte> data)
    {
        foreach (var (magic, at, what) in Known)
        {
            if (data.Length >= at + magic.Length && data.Slice(at, magic.Length).SequenceEqual(magic)) return what;
        }

        var text = TextStart(data);
        if (text is null) return "unrecognised binary data";
        if (text.StartsWith("(module", StringComparison.Ordinal) || text.StartsWith("(component", StringComparison.Ordinal))
            return "WebAssembly text format (.wat); compile it to a binary first";
        if (text.StartsWith('{') || text.StartsWith('[')) return "JSON text";
        if (text.StartsWith('<')) return "HTML or XML text";
        return "text";
    }

    /// <summary>The first characters, trimmed, when the first 64 bytes look like printable ASCII or UTF-8 text.</summary>
    private static string? TextStart(ReadOnlySpan<byte> data)
    {
        var head = data[..Math.Min(64, data.Length)];
        foreach (var b in head)
        {
            if (b < 0x09 || (b > 0x0D && b < 0x20) || b == 0x7F) return null;
        }

        return Encoding.UTF8.GetString(head).TrimStart();
    }
}
