using System.Security.Cryptography;
using System.Text;

namespace Portal.Host.Identity;

/// <summary>
/// The host's id (an nkeys server public key: 56 characters, leading 'N') and friendly name.
/// With a seed the id is stable across restarts; without one a fresh seed is drawn per start, as
/// a wasmCloud host does. The 32 "public key" bytes are SHA-256 of the 32 seed bytes rather than
/// the ed25519 public key of the seed: .NET has no ed25519 and nothing on the lattice verifies a
/// host's signature, so only the shape (prefix, length, checksum) and stability matter. A real
/// wasmCloud host given the same seed would therefore show a different id.
/// </summary>
public sealed class HostIdentity
{
    private static readonly string[] Adjectives =
        ["crimson", "silent", "bold", "amber", "misty", "rapid", "gentle", "lucky", "frosty", "golden", "quiet", "brave", "cosmic", "sunny", "wild", "polished"];

    private static readonly string[] Nouns =
        ["wave", "river", "forest", "comet", "meadow", "harbor", "canyon", "ember", "glacier", "falcon", "island", "summit", "breeze", "lantern", "orbit", "pebble"];

    private HostIdentity(byte[] seed)
    {
        var publicKey = SHA256.HashData(seed);
        HostId = NKeyEncoding.EncodePublic(NKeyEncoding.ServerPrefix, publicKey);
        Seed = NKeyEncoding.EncodeSeed(NKeyEncoding.ServerPrefix, seed);
        FriendlyName = $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)]}-{RandomNumberGenerator.GetInt32(1000, 10000)}";
    }

    public string HostId { get; }

    /// <summary>The seed in nkeys form ("SN..."): pass it as --host-seed to keep this id.</summary>
    public string Seed { get; }

    /// <summary>Random adjective-noun-NNNN, regenerated every start (as wasmCloud does).</summary>
    public string FriendlyName { get; }

    /// <summary>
    /// From an nkeys seed ("SN..."); any other non-empty text is hashed into a seed so a simple
    /// secret string also gives a stable id. Null or empty: random.
    /// </summary>
    public static HostIdentity Create(string? seed)
    {
        if (string.IsNullOrWhiteSpace(seed)) return new HostIdentity(RandomNumberGenerator.GetBytes(32));
        return new HostIdentity(NKeyEncoding.TryDecodeSeed(seed) ?? SHA256.HashData(Encoding.UTF8.GetBytes(seed.Trim())));
    }
}
