namespace Portal.Lattice.Inspection.Claims;

/// <summary>
/// nkeys public keys as wascap uses them: base32 (RFC 4648, upper case, no padding) of one prefix
/// byte, the 32-byte Ed25519 key and a CRC-16/XMODEM, 56 characters. The prefix byte shows as the
/// first letter: 'A' account (the signer), 'M' module (the subject).
/// </summary>
internal static class NKeys
{
    public const byte AccountPrefix = 0 << 3;
    public const byte ModulePrefix = 12 << 3;

    /// <summary>The raw key when <paramref name="text"/> is a well-formed public key with that prefix (checksum included).</summary>
    public static bool TryDecodePublicKey(string text, byte prefix, Span<byte> key)
    {
        if (text.Length != 56 || key.Length != 32) return false;
        Span<byte> raw = stackalloc byte[35];
        int buffer = 0, bits = 0, n = 0;
        foreach (var c in text)
        {
            var value = c is >= 'A' and <= 'Z' ? c - 'A' : c is >= '2' and <= '7' ? c - '2' + 26 : -1;
            if (value < 0) return false;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                raw[n++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }

        if (raw[0] != prefix) return false;
        var crc = Crc16(raw[..33]);
        if (raw[33] != (byte)crc || raw[34] != (byte)(crc >> 8)) return false;
        raw.Slice(1, 32).CopyTo(key);
        return true;
    }

    /// <summary>CRC-16/XMODEM (polynomial 0x1021, initial 0), as nkeys uses.</summary>
    private static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
        }

        return crc;
    }
}
