using System.Numerics;
using System.Security.Cryptography;

namespace Portal.Lattice.Inspection.Claims;

/// <summary>
/// Ed25519 signature verification (RFC 8032, section 5.1.7), verify only. .NET has no Ed25519 and the
/// NuGet copy we reach has no maintained managed implementation (BouncyCastle.Cryptography is
/// absent; Portable.BouncyCastle is deprecated and 3 MB), so this is the textbook algorithm on
/// <see cref="FieldElement"/>. It checks S &lt; L and canonical point encodings, and compares the
/// encoding of [S]B - [k]A with R, as the reference implementation does.
/// </summary>
internal static class Ed25519
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
    private static readonly byte[] LBytes = L.ToByteArray(isUnsigned: true, isBigEndian: false);
    private static readonly byte[] SqrtExponent = FieldElement.Exponent((P - 5) / 8);
    private static readonly byte[] InvertExponent = FieldElement.Exponent(P - 2);
    private static readonly FieldElement D = -FieldElement.FromInt(121665) * FieldElement.FromInt(121666).Pow(InvertExponent);
    private static readonly FieldElement D2 = D + D;
    private static readonly FieldElement SqrtMinusOne = FieldElement.FromInt(2).Pow(FieldElement.Exponent((P - 1) / 4));
    private static readonly Point BasePoint = MakeBasePoint();

    public static bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ReadOnlySpan<byte> publicKey)
    {
        if (signature.Length != 64 || publicKey.Length != 32) return false;
        var r = signature[..32];
        var s = signature[32..];
        if (!IsBelowL(s) || !TryDecode(publicKey, out var a)) return false;

        Span<byte> digest = stackalloc byte[64];
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512))
        {
            sha.AppendData(r);
            sha.AppendData(publicKey);
            sha.AppendData(message);
            sha.GetHashAndReset(digest);
        }

        Span<byte> k = stackalloc byte[32];
        var reduced = new BigInteger(digest, isUnsigned: true, isBigEndian: false) % L;
        reduced.TryWriteBytes(k, out _, isUnsigned: true, isBigEndian: false);

        var check = Add(Multiply(s, BasePoint), Multiply(k, Negate(a)));
        Span<byte> encoded = stackalloc byte[32];
        Encode(check, encoded);
        return encoded.SequenceEqual(r);
    }

    /// <summary>Extended twisted Edwards coordinates: x = X/Z, y = Y/Z, x*y = T/Z.</summary>
    private readonly record struct Point(FieldElement X, FieldElement Y, FieldElement Z, FieldElement T);

    private static Point Identity => new(FieldElement.Zero, FieldElement.One, FieldElement.One, FieldElement.Zero);

    private static bool IsBelowL(ReadOnlySpan<byte> scalar)
    {
        for (var i = 31; i >= 0; i--)
        {
            var limit = i < LBytes.Length ? LBytes[i] : (byte)0;
            if (scalar[i] != limit) return scalar[i] < limit;
        }

        return false; // equal to L
    }

    /// <summary>RFC 8032 5.1.3: y from the low 255 bits, x recovered from the curve equation and the sign bit.</summary>
    private static bool TryDecode(ReadOnlySpan<byte> encoded, out Point point)
    {
        point = default;
        var y = FieldElement.FromBytes(encoded);
        var xSign = (encoded[31] & 0x80) != 0;

        // Refuse a non-canonical y (>= p): its canonical encoding differs from the input.
        Span<byte> canonical = stackalloc byte[32];
        y.ToBytes(canonical);
        canonical[31] |= (byte)(encoded[31] & 0x80);
        if (!canonical.SequenceEqual(encoded)) return false;

        var y2 = y.Square();
        var u = y2 - FieldElement.One;
        var v = D * y2 + FieldElement.One;
        var v3 = v.Square() * v;
        var x = u * v3 * (u * v3.Square() * v).Pow(SqrtExponent);
        var vx2 = v * x.Square();
        if (!vx2.Equals(u))
        {
            if (!vx2.Equals(-u)) return false;
            x *= SqrtMinusOne;
        }

        if (x.IsZero && xSign) return false;
        if (x.IsOdd != xSign) x = -x;
        point = new Point(x, y, FieldElement.One, x * y);
        return true;
    }

    private static void Encode(Point p, Span<byte> output)
    {
        var zInverse = p.Z.Pow(InvertExponent);
        var x = p.X * zInverse;
        var y = p.Y * zInverse;
        y.ToBytes(output);
        if (x.IsOdd) output[31] |= 0x80;
    }

    /// <summary>RFC 8032 5.1.4's addition; complete for this curve, so it also doubles.</summary>
    private static Point Add(Point p, Point q)
    {
        var a = (p.Y - p.X) * (q.Y - q.X);
        var b = (p.Y + p.X) * (q.Y + q.X);
        var c = p.T * D2 * q.T;
        var d = p.Z * q.Z;
        d += d;
        FieldElement e = b - a, f = d - c, g = d + c, h = b + a;
        return new Point(e * f, g * h, f * g, e * h);
    }

    private static Point Negate(Point p) => new(-p.X, p.Y, p.Z, -p.T);

    /// <summary>[scalar]P, scalar as 32 little-endian bytes; double-and-add (variable time is fine for public data).</summary>
    private static Point Multiply(ReadOnlySpan<byte> scalar, Point p)
    {
        var result = Identity;
        for (var bit = 255; bit >= 0; bit--)
        {
            result = Add(result, result);
            if ((scalar[bit >> 3] & (1 << (bit & 7))) != 0) result = Add(result, p);
        }

        return result;
    }

    /// <summary>B is the point with y = 4/5 and even x.</summary>
    private static Point MakeBasePoint()
    {
        var y = FieldElement.FromInt(4) * FieldElement.FromInt(5).Pow(InvertExponent);
        Span<byte> encoded = stackalloc byte[32];
        y.ToBytes(encoded);
        return TryDecode(encoded, out var point) ? point : throw new InvalidOperationException("Ed25519 base point does not decode");
    }
}
