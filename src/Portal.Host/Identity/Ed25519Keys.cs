using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Portal.Host.Identity;

/// <summary>
/// Ed25519 (RFC 8032), the signature scheme behind nkeys: a 32-byte seed is the private key, its
/// public key is what an nkey public string encodes. .NET has no Ed25519, so this wraps Bouncy
/// Castle's managed implementation.
/// </summary>
public static class Ed25519Keys
{
    public const int SeedSize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    public static byte[] PublicKey(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize) throw new ArgumentException($"an Ed25519 seed has {SeedSize} bytes", nameof(seed));
        var publicKey = new byte[PublicKeySize];
        Ed25519.GeneratePublicKey(seed.ToArray(), 0, publicKey, 0);
        return publicKey;
    }

    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message)
    {
        if (seed.Length != SeedSize) throw new ArgumentException($"an Ed25519 seed has {SeedSize} bytes", nameof(seed));
        var signature = new byte[SignatureSize];
        var data = message.ToArray();
        Ed25519.Sign(seed.ToArray(), 0, data, 0, data.Length, signature, 0);
        return signature;
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize) return false;
        var data = message.ToArray();
        return Ed25519.Verify(signature.ToArray(), 0, publicKey.ToArray(), 0, data, 0, data.Length);
    }
}
