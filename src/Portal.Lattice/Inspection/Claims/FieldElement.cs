using System.Buffers.Binary;
using System.Numerics;

namespace Portal.Lattice.Inspection.Claims;

/// <summary>
/// An element of GF(2^255 - 19) in five 51-bit limbs, for Ed25519 verification. A value type with
/// no heap use, so verifying a signature allocates nothing (the inspector's allocation bound holds).
/// Not constant-time: it only ever handles public data (keys, signatures, messages).
/// </summary>
internal readonly struct FieldElement
{
    private const ulong Mask = (1UL << 51) - 1;

    private readonly ulong _l0, _l1, _l2, _l3, _l4;

    private FieldElement(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        _l0 = l0;
        _l1 = l1;
        _l2 = l2;
        _l3 = l3;
        _l4 = l4;
    }

    public static FieldElement Zero => default;

    public static FieldElement One => new(1, 0, 0, 0, 0);

    public static FieldElement FromInt(ulong value) => Carry(value, 0, 0, 0, 0);

    /// <summary>The low 255 bits of 32 little-endian bytes (the top bit is the caller's business).</summary>
    public static FieldElement FromBytes(ReadOnlySpan<byte> bytes)
    {
        var w0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var w1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        var w2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        var w3 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
        return new FieldElement(
            w0 & Mask,
            ((w0 >> 51) | (w1 << 13)) & Mask,
            ((w1 >> 38) | (w2 << 26)) & Mask,
            ((w2 >> 25) | (w3 << 39)) & Mask,
            (w3 >> 12) & Mask);
    }

    /// <summary>The canonical (fully reduced) 32-byte little-endian encoding.</summary>
    public void ToBytes(Span<byte> output)
    {
        var t = Carry(_l0, _l1, _l2, _l3, _l4);
        ulong l0 = t._l0, l1 = t._l1, l2 = t._l2, l3 = t._l3, l4 = t._l4;

        // q = 1 exactly when the value is >= p: then adding 19 carries out of bit 255.
        var q = (l0 + 19) >> 51;
        q = (l1 + q) >> 51;
        q = (l2 + q) >> 51;
        q = (l3 + q) >> 51;
        q = (l4 + q) >> 51;
        l0 += 19 * q;
        l1 += l0 >> 51;
        l0 &= Mask;
        l2 += l1 >> 51;
        l1 &= Mask;
        l3 += l2 >> 51;
        l2 &= Mask;
        l4 += l3 >> 51;
        l3 &= Mask;
        l4 &= Mask; // drops q * 2^255

        BinaryPrimitives.WriteUInt64LittleEndian(output, l0 | (l1 << 51));
        BinaryPrimitives.WriteUInt64LittleEndian(output[8..], (l1 >> 13) | (l2 << 38));
        BinaryPrimitives.WriteUInt64LittleEndian(output[16..], (l2 >> 26) | (l3 << 25));
        BinaryPrimitives.WriteUInt64LittleEndian(output[24..], (l3 >> 39) | (l4 << 12));
    }

    public bool IsZero
    {
        get
        {
            Span<byte> bytes = stackalloc byte[32];
            ToBytes(bytes);
            return !bytes.ContainsAnyExcept((byte)0);
        }
    }

    /// <summary>The low bit of the canonical value ("negative" in RFC 8032's sign convention).</summary>
    public bool IsOdd
    {
        get
        {
            Span<byte> bytes = stackalloc byte[32];
            ToBytes(bytes);
            return (bytes[0] & 1) != 0;
        }
    }

    public bool Equals(FieldElement other) => (this - other).IsZero;

    public static FieldElement operator +(FieldElement a, FieldElement b) =>
        Carry(a._l0 + b._l0, a._l1 + b._l1, a._l2 + b._l2, a._l3 + b._l3, a._l4 + b._l4);

    /// <summary>a + 2p - b keeps every limb non-negative: operands are always carried below 2^52.</summary>
    public static FieldElement operator -(FieldElement a, FieldElement b) =>
        Carry(a._l0 + 0xFFFFFFFFFFFDAUL - b._l0, a._l1 + 0xFFFFFFFFFFFFEUL - b._l1, a._l2 + 0xFFFFFFFFFFFFEUL - b._l2,
            a._l3 + 0xFFFFFFFFFFFFEUL - b._l3, a._l4 + 0xFFFFFFFFFFFFEUL - b._l4);

    public static FieldElement operator -(FieldElement a) => Zero - a;

    public static FieldElement operator *(FieldElement a, FieldElement b)
    {
        // Limbs above 2^255 wrap around multiplied by 19 (2^255 = 19 mod p).
        ulong b1 = b._l1 * 19, b2 = b._l2 * 19, b3 = b._l3 * 19, b4 = b._l4 * 19;
        var r0 = M(a._l0, b._l0) + M(a._l1, b4) + M(a._l2, b3) + M(a._l3, b2) + M(a._l4, b1);
        var r1 = M(a._l0, b._l1) + M(a._l1, b._l0) + M(a._l2, b4) + M(a._l3, b3) + M(a._l4, b2);
        var r2 = M(a._l0, b._l2) + M(a._l1, b._l1) + M(a._l2, b._l0) + M(a._l3, b4) + M(a._l4, b3);
        var r3 = M(a._l0, b._l3) + M(a._l1, b._l2) + M(a._l2, b._l1) + M(a._l3, b._l0) + M(a._l4, b4);
        var r4 = M(a._l0, b._l4) + M(a._l1, b._l3) + M(a._l2, b._l2) + M(a._l3, b._l1) + M(a._l4, b._l0);

        r1 += r0 >> 51;
        r2 += r1 >> 51;
        r3 += r2 >> 51;
        r4 += r3 >> 51;
        var low0 = ((ulong)r0 & Mask) + 19 * (ulong)(r4 >> 51);
        return Carry(low0, (ulong)r1 & Mask, (ulong)r2 & Mask, (ulong)r3 & Mask, (ulong)r4 & Mask);

        static UInt128 M(ulong x, ulong y) => (UInt128)x * y;
    }

    public FieldElement Square() => this * this;

    /// <summary>this^exponent, the exponent given as little-endian bytes (square-and-multiply, top bit first).</summary>
    public FieldElement Pow(ReadOnlySpan<byte> exponent)
    {
        var result = One;
        for (var bit = exponent.Length * 8 - 1; bit >= 0; bit--)
        {
            result = result.Square();
            if ((exponent[bit >> 3] & (1 << (bit & 7))) != 0) result *= this;
        }

        return result;
    }

    /// <summary>Little-endian bytes of a non-negative integer, for exponents.</summary>
    public static byte[] Exponent(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: false);

    private static FieldElement Carry(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        l1 += l0 >> 51;
        l0 &= Mask;
        l2 += l1 >> 51;
        l1 &= Mask;
        l3 += l2 >> 51;
        l2 &= Mask;
        l4 += l3 >> 51;
        l3 &= Mask;
        l0 += 19 * (l4 >> 51);
        l4 &= Mask;
        return new FieldElement(l0, l1, l2, l3, l4);
    }
}
