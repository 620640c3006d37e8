using System.Text;

namespace Portal.Tests.Unit.Lattice.Inspection;

/// <summary>Hand-assembles small wasm binaries byte by byte, for cases no toolchain would produce.</summary>
internal static class WasmBytes
{
    public static readonly byte[] ModulePreamble = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];
    public static readonly byte[] ComponentPreamble = [0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00];

    public static byte[] Module(params byte[][] sections) => [.. ModulePreamble, .. sections.SelectMany(s => s)];

    public static byte[] Component(params byte[][] sections) => [.. ComponentPreamble, .. sections.SelectMany(s => s)];

    public static byte[] Section(byte id, params byte[][] content)
    {
        byte[] body = [.. content.SelectMany(c => c)];
        return [id, .. Leb(body.Length), .. body];
    }

    public static byte[] Custom(string name, params byte[][] payload) => Section(0, [Name(name), .. payload]);

    public static byte[] Name(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return [.. Leb(bytes.Length), .. bytes];
    }

    /// <summary>A vector: count, then the items.</summary>
    public static byte[] Vec(params byte[][] items) => [.. Leb(items.Length), .. items.SelectMany(i => i)];

    public static byte[] Leb(long value)
    {
        var bytes = new List<byte>();
        var v = (ulong)value;
        do
        {
            var b = (byte)(v & 0x7F);
            v >>= 7;
            bytes.Add(v == 0 ? b : (byte)(b | 0x80));
        }
        while (v != 0);

        return [.. bytes];
    }

    public static byte[] B(params byte[] bytes) => bytes;
}
