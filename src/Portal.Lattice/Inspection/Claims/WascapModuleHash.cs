using System.Security.Cryptography;

namespace Portal.Lattice.Inspection.Claims;

/// <summary>
/// The module hash wascap signs: SHA-256 (upper-case hex) of the binary re-encoded without its JWT
/// custom sections, at every depth. wascap rebuilds the binary section by section, writing each
/// section size as a minimal LEB128 and re-framing nested modules and components after stripping
/// them, so this does the same rather than hashing the input's own bytes. Runs only on input the
/// inspector has already walked, within <see cref="WasmInspector.MaxNesting"/>.
/// </summary>
internal static class WascapModuleHash
{
    public static string Compute(ReadOnlySpan<byte> wasm)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(sha, wasm, 0);
        Span<byte> digest = stackalloc byte[32];
        sha.GetHashAndReset(digest);
        return Convert.ToHexString(digest);
    }

    private static void Append(IncrementalHash sha, ReadOnlySpan<byte> binary, int depth)
    {
        sha.AppendData(binary[..8]);
        var component = binary[6] == 1;
        var r = new WasmReader(binary[8..], 8, "binary");
        Span<byte> header = stackalloc byte[6];
        while (!r.AtEnd)
        {
            var id = r.ReadByte();
            var content = r.ReadBytes((int)r.ReadU32());
            if (IsClaims(id, content)) continue;
            var nested = component && (id == 1 || id == 4);
            var size = nested ? StrippedLength(content, depth + 1) : content.Length;
            header[0] = id;
            var n = 1 + WriteLeb(size, header[1..]);
            sha.AppendData(header[..n]);
            if (nested) Append(sha, content, depth + 1);
            else sha.AppendData(content);
        }
    }

    /// <summary>How long <paramref name="binary"/> is once re-encoded without JWT sections.</summary>
    private static long StrippedLength(ReadOnlySpan<byte> binary, int depth)
    {
        if (depth > WasmInspector.MaxNesting) throw new WasmInspectionException("components nested too deeply to hash");
        var component = binary[6] == 1;
        var r = new WasmReader(binary[8..], 8, "binary");
        long length = 8;
        Span<byte> scratch = stackalloc byte[5];
        while (!r.AtEnd)
        {
            var id = r.ReadByte();
            var content = r.ReadBytes((int)r.ReadU32());
            if (IsClaims(id, content)) continue;
            var size = component && (id == 1 || id == 4) ? StrippedLength(content, depth + 1) : content.Length;
            length += 1 + WriteLeb(size, scratch) + size;
        }

        return length;
    }

    private static bool IsClaims(byte id, ReadOnlySpan<byte> content)
    {
        if (id != 0) return false;
        var r = new WasmReader(content, 0, "custom section");
        var name = r.ReadNameBytes();
        return name.SequenceEqual("jwt"u8) || name.SequenceEqual("wasmcloud_jwt"u8);
    }

    private static int WriteLeb(long value, Span<byte> output)
    {
        if (value > uint.MaxValue) throw new WasmInspectionException("a section grows past 4 GiB when re-encoded for hashing");
        var v = (uint)value;
        var n = 0;
        do
        {
            var b = (byte)(v & 0x7F);
            v >>= 7;
            output[n++] = v == 0 ? b : (byte)(b | 0x80);
        }
        while (v != 0);

        return n;
    }
}
