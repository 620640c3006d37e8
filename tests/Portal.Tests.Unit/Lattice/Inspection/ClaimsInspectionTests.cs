using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Portal.Lattice.Inspection;
using static Portal.Tests.Unit.Lattice.Inspection.WasmBytes;

namespace Portal.Tests.Unit.Lattice.Inspection;

/// <summary>
/// Decoding of embedded claims from hand-made tokens. Real signatures (made with Node's Ed25519)
/// are checked in the integration tests; here the signature is garbage and must say so.
/// </summary>
public sealed class ClaimsInspectionTests
{
    // A valid account key from wasmCloud's documentation; nobody here holds its seed.
    private const string Issuer = "AD2NOEJORCTIWZU44DIPXZ5WFXCNBFUB5AXAYB6IQFU46QYZORJAYVUN";
    private const string Subject = "MBNQSL5ONN3VJ5ZB3UABHLCP4WYCHGDS2EGOKH4NCGI3WLANFLXQJ7QN";

    private static readonly byte[] Unsigned = Module(Section(7, Vec([.. Name("_start"), 0x00, 0x00])));

    private static string Token(string payload, string header = """{"typ":"jwt","alg":"Ed25519"}""", int signatureBytes = 64) =>
        $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{Base64Url.EncodeToString(new byte[signatureBytes])}";

    private static byte[] Signed(string token, string section = "wasmcloud_jwt") => [.. Unsigned, .. Custom(section, Encoding.ASCII.GetBytes(token))];

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    [Fact]
    public void Every_wascap_field_is_decoded_and_the_module_hash_checked()
    {
        var payload = $$"""
            {"jti":"abc","iat":1700000000,"exp":1900000000,"nbf":1600000000,"iss":"{{Issuer}}","sub":"{{Subject}}",
             "wascap":{"name":"echo","hash":"{{Hash(Unsigned)}}","tags":["a","b"],"caps":["wasmcloud:httpserver"],"rev":7,"ver":"1.2.3","call_alias":"echo/http","prov":false},
             "wascap_revision":3}
            """;

        var claims = WasmInspector.Inspect(Signed(Token(payload))).Claims!;

        Assert.Equal("wasmcloud_jwt", claims.SectionName);
        Assert.Equal((Issuer, Subject, "abc", "Ed25519"), (claims.Issuer, claims.Subject, claims.Id, claims.Algorithm));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), claims.IssuedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1900000000), claims.Expires);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1600000000), claims.NotBefore);
        Assert.Equal(("echo", "1.2.3", 7, "echo/http", false), (claims.Name, claims.Version, claims.Revision, claims.CallAlias, claims.IsProvider));
        Assert.Equal(["a", "b"], claims.Tags.ToArray());
        Assert.Equal(["wasmcloud:httpserver"], claims.Capabilities.ToArray());
        Assert.Equal(3, claims.WascapRevision);
        Assert.True(claims.ModuleHashMatches);
        Assert.True(claims.IsCurrent(DateTimeOffset.FromUnixTimeSeconds(1800000000)));
        Assert.False(claims.IsCurrent(DateTimeOffset.FromUnixTimeSeconds(2000000000)));
        Assert.Equal(ClaimsSignature.Invalid, claims.Signature);
        Assert.Equal("the signature does not verify with the issuer's key", claims.SignatureNote);
    }

    [Fact]
    public void A_hash_of_other_bytes_does_not_match()
    {
        var payload = $$"""{"iss":"{{Issuer}}","sub":"{{Subject}}","iat":1,"wascap":{"hash":"{{Hash([1, 2, 3])}}"} }""";
        Assert.False(WasmInspector.Inspect(Signed(Token(payload))).Claims!.ModuleHashMatches);
    }

    [Fact]
    public void The_hash_is_over_minimal_section_sizes_as_wascap_re_encodes_them()
    {
        // The export section's size written as a padded 5-byte LEB128: wascap hashes the binary it
        // rebuilds, whose sizes are minimal, i.e. the bytes of Unsigned.
        byte[] padded = [.. Unsigned[..9], 0x8A, 0x80, 0x80, 0x80, 0x00, .. Unsigned[10..]];
        Assert.Equal(10, Unsigned[9]);
        var payload = $$"""{"iss":"{{Issuer}}","sub":"{{Subject}}","iat":1,"wascap":{"hash":"{{Hash(Unsigned)}}"} }""";

        var claims = WasmInspector.Inspect([.. padded, .. Custom("wasmcloud_jwt", Encoding.ASCII.GetBytes(Token(payload)))]).Claims!;

        Assert.True(claims.ModuleHashMatches);
    }

    [Fact]
    public void The_legacy_section_name_is_read_and_only_the_first_token_counts()
    {
        var first = Token($$"""{"iss":"{{Issuer}}","sub":"{{Subject}}","iat":1,"wascap":{"name":"first"} }""");
        var second = Token($$"""{"iss":"{{Issuer}}","sub":"{{Subject}}","iat":1,"wascap":{"name":"second"} }""");

        var claims = WasmInspector.Inspect([.. Signed(first, "jwt"), .. Custom("wasmcloud_jwt", Encoding.ASCII.GetBytes(second))]).Claims!;

        Assert.Equal(("jwt", "first"), (claims.SectionName, claims.Name));
        Assert.Null(claims.ModuleHashMatches);
    }

    [Fact]
    public void Other_algorithms_and_malformed_issuers_are_reported_not_refused()
    {
        var hs256 = WasmInspector.Inspect(Signed(Token($$"""{"iss":"{{Issuer}}","sub":"{{Subject}}"}""", """{"alg":"HS256"}"""))).Claims!;
        Assert.Equal(ClaimsSignature.NotChecked, hs256.Signature);
        Assert.Contains("HS256", hs256.SignatureNote);

        var moduleIssuer = WasmInspector.Inspect(Signed(Token($$"""{"iss":"{{Subject}}","sub":"{{Subject}}"}"""))).Claims!;
        Assert.Equal(ClaimsSignature.Invalid, moduleIssuer.Signature);
        Assert.Contains("not an nkeys account public key", moduleIssuer.SignatureNote);

        var shortSignature = WasmInspector.Inspect(Signed(Token($$"""{"iss":"{{Issuer}}","sub":"{{Subject}}"}""", signatureBytes: 10))).Claims!;
        Assert.Contains("64 bytes, this one 10", shortSignature.SignatureNote);
    }

    [Theory]
    [InlineData("not a token at all", "does not hold a JWT (only base64url and '.' may appear)")]
    [InlineData("abc.def", "does not hold a JWT (expected header.payload.signature)")]
    [InlineData("a.b.c.d", "does not hold a JWT (expected header.payload.signature)")]
    [InlineData("eyJ.e30.AA", "has a JWT header that is not base64url")]
    public void Sections_that_hold_no_token_refuse_the_binary(string content, string message)
    {
        var e = Assert.Throws<WasmInspectionException>(() => WasmInspector.Inspect(Signed(content)));
        Assert.Equal($"the wasmcloud_jwt custom section at offset {Unsigned.Length} {message}", e.Message);
        Assert.Equal(Unsigned.Length, e.Offset);
    }

    [Theory]
    [InlineData("""{"sub":"x"}""", "has claims without an issuer (iss)")]
    [InlineData("""{"iss":"x","sub":"y","iat":"yesterday"}""", "has a claim 'iat' of the wrong type or range")]
    [InlineData("""{"iss":"x","sub":"y","exp":99999999999999}""", "has a claim 'exp' of the wrong type or range")]
    [InlineData("""{"iss":"x","sub":"y","wascap":{"tags":"a"}}""", "has a claim 'tags' of the wrong type or range")]
    [InlineData("""[1]""", "has a JWT whose header or payload is not a JSON object")]
    [InlineData("""{"iss":""", "has a JWT that is not valid JSON")]
    public void Unreadable_claims_refuse_the_binary(string payload, string message) =>
        Assert.Contains(message, Assert.Throws<WasmInspectionException>(() => WasmInspector.Inspect(Signed(Token(payload)))).Message);

    [Fact]
    public void A_payload_that_is_not_utf8_refuses_the_binary()
    {
        // Found by the fuzz test: JsonDocument accepts such a string and fails only when it is read.
        byte[] payload = [.. "{\"iss\":\""u8, 0xF6, .. "\",\"sub\":\"s\"}"u8];
        var token = $"{Base64Url.EncodeToString("{}"u8)}.{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(new byte[64])}";

        var e = Assert.Throws<WasmInspectionException>(() => WasmInspector.Inspect(Signed(token)));

        Assert.EndsWith("has a JWT whose header or payload is not UTF-8", e.Message);
    }
}
