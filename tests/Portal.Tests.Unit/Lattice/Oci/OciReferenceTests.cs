using Portal.Lattice.Oci;

namespace Portal.Tests.Unit.Lattice.Oci;

public sealed class OciReferenceTests
{
    [Theory]
    [InlineData("127.0.0.1:5080/acme/hello:1", "127.0.0.1:5080", "acme/hello", "1", null)]
    [InlineData("oci://ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0", "ghcr.io", "wasmcloud/components/http-hello-world-rust", "0.1.0", null)]
    [InlineData("https://registry.example.com/team/app:2.0.0-rc.1", "registry.example.com", "team/app", "2.0.0-rc.1", null)]
    [InlineData("http://localhost:5000/hello", "localhost:5000", "hello", null, null)]
    [InlineData("nginx:1.25", "docker.io", "library/nginx", "1.25", null)]
    [InlineData("portal.local:443/acme/hello:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "portal.local:443", "acme/hello", "1",
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("[::1]:5000/acme/hello@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "[::1]:5000", "acme/hello", null,
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Parses_registry_repository_tag_and_digest(string text, string registry, string repository, string? tag, string? digest)
    {
        var reference = OciReference.Parse(text);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(digest ?? tag ?? "latest", reference.Reference);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ghcr.io/Upper/Case:1")]
    [InlineData("ghcr.io/acme/hello:-bad")]
    [InlineData("ghcr.io/acme/hello@sha256:short")]
    [InlineData("ghcr.io/acme/hello@md5:0123456789abcdef0123456789abcdef")]
    [InlineData("ghcr.io//double:1")]
    public void Refuses_malformed_references_with_a_reason(string text)
    {
        Assert.False(OciReference.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Knows_implicit_and_explicit_latest()
    {
        Assert.True(OciReference.Parse("ghcr.io/acme/hello").IsLatest);
        Assert.False(OciReference.Parse("ghcr.io/acme/hello").IsExplicit);
        Assert.True(OciReference.Parse("ghcr.io/acme/hello:latest").IsLatest);
        Assert.False(OciReference.Parse("ghcr.io/acme/hello:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef").IsLatest);
        Assert.Equal("127.0.0.1", OciReference.Parse("127.0.0.1:5080/acme/hello:1").RegistryHost);
        Assert.Equal("registry-1.docker.io", OciReference.Parse("nginx:1").ApiAuthority);
    }

    [Fact]
    public void Reads_bearer_challenges()
    {
        var challenge = OciRegistryClient.ParseChallenge("realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:acme/hello:pull\"");

        Assert.Equal("https://ghcr.io/token", challenge["realm"]);
        Assert.Equal("ghcr.io", challenge["service"]);
        Assert.Equal("repository:acme/hello:pull", challenge["scope"]);
    }

    [Fact]
    public void A_manifest_names_its_one_wasm_layer_and_refuses_indexes()
    {
        var digest = "sha256:" + new string('a', 64);
        var text = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.wasm.config.v0+json","digest":"{{digest}}","size":2},"layers":[{"mediaType":"application/wasm","digest":"{{digest}}","size":8}]}""";
        var json = System.Text.Encoding.UTF8.GetBytes(text);
        var manifest = OciManifest.Read(json);
        Assert.Equal(8, manifest.WasmLayer().Size);
        Assert.Equal(OciDigest.Of(json), manifest.Digest);

        var index = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"""u8.ToArray();
        Assert.Contains("index", Assert.Throws<OciFormatException>(() => OciManifest.Read(index)).Message);
        Assert.Contains("differs", Assert.Throws<OciFormatException>(() => OciManifest.Read(json, "application/vnd.docker.distribution.manifest.v2+json")).Message);
    }
}
