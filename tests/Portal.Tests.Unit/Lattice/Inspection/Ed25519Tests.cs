using System.Numerics;
using Portal.Lattice.Inspection.Claims;

namespace Portal.Tests.Unit.Lattice.Inspection;

/// <summary>Our verify-only Ed25519 against RFC 8032's test vectors (section 7.1) and tampered copies of them.</summary>
public sealed class Ed25519Tests
{
    public static TheoryData<string, string, string> Rfc8032 => new()
    {
        // TEST 1 (empty message), TEST 2 (one byte), TEST 3 (two bytes): public key, message, signature.
        {
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc8032))]
    public void Rfc_8032_vectors_verify(string key, string message, string signature) =>
        Assert.True(Ed25519.Verify(Convert.FromHexString(signature), Convert.FromHexString(message), Convert.FromHexString(key)));

    [Theory]
    [MemberData(nameof(Rfc8032))]
    public void Any_flipped_bit_fails(string key, string message, string signature)
    {
        byte[] k = Convert.FromHexString(key), m = Convert.FromHexString(message), s = Convert.FromHexString(signature);
        foreach (var bit in new[] { 0, 7, 100, 255, 256, 300, 511 })
        {
            var tampered = (byte[])s.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Ed25519.Verify(tampered, m, k), $"signature bit {bit}");
        }

        var otherKey = (byte[])k.Clone();
        otherKey[0] ^= 1;
        Assert.False(Ed25519.Verify(s, m, otherKey));
        Assert.False(Ed25519.Verify(s, [.. m, 0], k));
    }

    [Fact]
    public void A_signature_with_s_plus_the_group_order_is_refused()
    {
        // The same point equation holds for S + L, so only the S < L check stops this malleability.
        var (key, message, signature) = ("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        var s = Convert.FromHexString(signature);
        var order = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
        var bigger = new BigInteger(s.AsSpan(32), isUnsigned: true) + order;
        var malleable = s[..32].Concat(bigger.ToByteArray(isUnsigned: true).Concat(new byte[32]).Take(32)).ToArray();

        Assert.False(Ed25519.Verify(malleable, Convert.FromHexString(message), Convert.FromHexString(key)));
    }

    [Fact]
    public void Keys_that_are_not_curve_points_or_not_canonical_are_refused()
    {
        var signature = Convert.FromHexString("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        var nonCanonical = Enumerable.Repeat((byte)0xFF, 32).ToArray(); // y >= p
        nonCanonical[31] = 0x7F;

        Assert.False(Ed25519.Verify(signature, [], nonCanonical));
        Assert.False(Ed25519.Verify(signature, [], new byte[31]));
        Assert.False(Ed25519.Verify(signature[..63], [], Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")));
    }

    [Theory]
    [InlineData("AD2NOEJORCTIWZU44DIPXZ5WFXCNBFUB5AXAYB6IQFU46QYZORJAYVUN", NKeys.AccountPrefix, true)]
    [InlineData("MBNQSL5ONN3VJ5ZB3UABHLCP4WYCHGDS2EGOKH4NCGI3WLANFLXQJ7QN", NKeys.ModulePrefix, true)]
    [InlineData("MBNQSL5ONN3VJ5ZB3UABHLCP4WYCHGDS2EGOKH4NCGI3WLANFLXQJ7QN", NKeys.AccountPrefix, false)] // a module key is not an account
    [InlineData("AD2NOEJORCTIWZU44DIPXZ5WFXCNBFUB5AXAYB6IQFU46QYZORJAYVUM", NKeys.AccountPrefix, false)] // checksum
    [InlineData("AD2NOEJORCTIWZU44DIPXZ5WFXCNBFUB5AXAYB6IQFU46QYZORJAYVU", NKeys.AccountPrefix, false)]  // length
    [InlineData("ad2noejorctiwzu44dipxz5wfxcnbfub5axayb6iqfu46qyzorjayvun", NKeys.AccountPrefix, false)] // alphabet
    public void Nkeys_public_keys_decode_only_with_their_prefix_and_checksum(string text, byte prefix, bool valid) =>
        Assert.Equal(valid, NKeys.TryDecodePublicKey(text, prefix, new byte[32]));
}
