using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Portal.Api.Applications;

/// <summary>
/// Versions for manifests that name none. wadm assigns a ULID; so do we: 48 bits of Unix
/// milliseconds then 80 random bits, in Crockford base32, so assigned versions sort by time.
/// </summary>
public static class VersionIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewUlid(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var millis = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++) bytes[i] = (byte)(millis >> (8 * (5 - i)));
        RandomNumberGenerator.Fill(bytes[6..]);

        // 128 bits in 26 characters of 5 bits; the first character carries the top 3 bits.
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
