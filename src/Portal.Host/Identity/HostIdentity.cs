using System.Security.Cryptography;
using System.Text;

namespace Portal.Host.Identity;

/// <summary>
/// The host's id and friendly name. The id is the nkeys server public key (56 characters, leading
/// 'N') of an Ed25519 key pair, exactly as a wasmCloud host derives it: with the same seed
/// (<c>--host-seed SN…</c>) both show the same id, and it is stable across restarts; without a
/// seed a fresh one is drawn per start, as a wasmCloud host does.
/// </summary>
public sealed class HostIdentity
{
    private static readonly string[] Adjectives =
        ["crimson", "silent", "bold", "amber", "misty", "rapid", "gentle", "lucky", "frosty", "golden", "quiet", "brave", "cosmic", "sunny", "wild", "polished"];

    private static readonly string[] Nouns =
        ["wave", "river", "forest", "comet", "meadow", "harbor", "canyon", "ember", "glacier", "falcon", "island", "summit", "breeze", "lantern", "orbit", "pebble"];

    private readonly byte[] _seed;

    private HostIdentity(byte[] seed)
    {
        _seed = seed;
        HostId = NKeyEncoding.EncodePublic(NKeyEncoding.ServerPrefix, Ed25519Keys.PublicKey(seed));
        Seed = NKeyEncoding.EncodeSeed(NKeyEncoding.ServerPrefix, seed);
        FriendlyName = $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)]}-{RandomNumberGenerator.GetInt32(1000, 10000)}";
    }

    public string HostId { get; }

    /// <summary>The seed in nkeys form ("SN..."): pass it as --host-seed to keep this id.</summary>
    public string Seed { get; }

    /// <summary>Random adjective-noun-NNNN, regenerated every start (as wasmCloud does).</summary>
    public string FriendlyName { get; }

    /// <summary>An Ed25519 signature by the host key (what nkeys' <c>sign</c> gives for the same seed).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519Keys.Sign(_seed, message);

    /// <summary>
    /// From an nkeys seed ("SN..."; the key bytes of a seed of another type are used as they are);
    /// any other non-empty text is hashed (SHA-256) into a seed, so a plain secret string also gives
    /// a stable id. Null or empty: random.
    /// </summary>
    public static HostIdentity Create(string? seed)
    {
        if (string.IsNullOrWhiteSpace(seed)) return new HostIdentity(RandomNumberGenerator.GetBytes(32));
        return new HostIdentity(NKeyEncoding.TryDecodeSeed(seed) ?? SHA256.HashData(Encoding.UTF8.GetBytes(seed.Trim())));
    }
}
