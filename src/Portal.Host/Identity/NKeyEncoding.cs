namespace Portal.Host.Identity;

/// <summary>
/// The nkeys text encoding: RFC 4648 base32 (upper case, no padding) of prefix byte(s) + raw key +
/// CRC-16/XMODEM of those bytes, little-endian. Public keys carry one prefix byte (server = 'N'),
/// seeds two ('S' then the key type), which is why seeds of server keys start with "SN".
/// </summary>
public static class NKeyEncoding
{
    /// <summary>Prefix byte of server public keys: base32 renders it as a leading 'N'.</summary>
    public const byte ServerPrefix = 13 << 3;

    /// <summary>Prefix byte of seeds: base32 renders it as a leading 'S'.</summary>
    public const byte SeedPrefix = 18 << 3;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string EncodePublic(byte prefix, ReadOnlySpan<byte> key)
    {
        var raw = new byte[1 + key.Length + 2];
        raw[0] = prefix;
        key.CopyTo(raw.AsSpan(1));
        AppendCrc(raw);
        return ToBase32(raw);
    }

    public static string EncodeSeed(byte keyPrefix, ReadOnlySpan<byte> seed)
    {
        var raw = new byte[2 + seed.Length + 2];
        raw[0] = (byte)(SeedPrefix | (keyPrefix >> 5));
        raw[1] = (byte)((keyPrefix & 31) << 3);
        seed.CopyTo(raw.AsSpan(2));
        AppendCrc(raw);
        return ToBase32(raw);
    }

    /// <summary>The 32 raw seed bytes of an nkeys seed of any key type, or null when the text is not one.</summary>
    public static byte[]? TryDecodeSeed(string text)
    {
        var raw = FromBase32(text.Trim());
        if (raw is null || raw.Length != 36 || (raw[0] & 0xF8) != SeedPrefix) return null;
        var crc = Crc16(raw.AsSpan(0, raw.Length - 2));
        if (raw[^2] != (byte)crc || raw[^1] != (byte)(crc >> 8)) return null;
        return raw[2..34];
    }

    /// <summary>The 32 key bytes of a public key of any type (account 'A', module 'M', server 'N', ...), or null when the text is not one.</summary>
    public static byte[]? TryDecodePublic(string text)
    {
        var raw = FromBase32(text.Trim());
        if (raw is null || raw.Length != 35 || (raw[0] & 7) != 0) return null;
        var crc = Crc16(raw.AsSpan(0, 33));
        return raw[33] == (byte)crc && raw[34] == (byte)(crc >> 8) ? raw[1..33] : null;
    }

    /// <summary>True when <paramref name="text"/> is a well-formed public key with the given prefix (checksum included).</summary>
    public static bool IsValidPublic(string text, byte prefix)
    {
        var raw = FromBase32(text);
        if (raw is null || raw.Length != 35 || raw[0] != prefix) return false;
        var crc = Crc16(raw.AsSpan(0, 33));
        return raw[33] == (byte)crc && raw[34] == (byte)(crc >> 8);
    }

    private static void AppendCrc(byte[] raw)
    {
        var crc = Crc16(raw.AsSpan(0, raw.Length - 2));
        raw[^2] = (byte)crc;
        raw[^1] = (byte)(crc >> 8);
    }

    /// <summary>CRC-16/XMODEM (polynomial 0x1021, initial 0), as nkeys uses.</summary>
    public static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc;
    }

    public static string ToBase32(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, n = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[n++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0) chars[n++] = Alphabet[(buffer << (5 - bits)) & 31];
        return new string(chars, 0, n);
    }

    public static byte[]? FromBase32(string text)
    {
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(c);
            if (value < 0) return null;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return bytes.ToArray();
    }
}
