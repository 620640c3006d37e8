using Portal.Host.Artifacts;
using Portal.Host.Configuration;
using Portal.Lattice.Control;
using Portal.Lattice.Oci;

namespace Portal.Tests.Integration.Artifacts;

/// <summary>How our host reads image refs: which are OCI, which registries get plain HTTP, whose credentials go where.</summary>
public sealed class OciImageRefTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080/api/v1/tenants/acme/artifacts/hello/1.0.0/content", true)]
    [InlineData("https://portal.example.com/api/v1/tenants/acme/artifacts/hello/1/content", true)]
    [InlineData("http://127.0.0.1:5080/acme/hello:1", false)]
    [InlineData("https://ghcr.io/acme/hello@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("127.0.0.1:5080/acme/hello:1", false)]
    [InlineData("oci://ghcr.io/acme/hello:1", false)]
    public void Http_urls_without_a_tag_or_digest_stay_plain_downloads(string imageRef, bool plain) =>
        Assert.Equal(plain, ImageFetcher.IsPlainUrl(imageRef));

    [Fact]
    public void Loopback_and_allowed_insecure_registries_get_plain_http_others_https()
    {
        using var http = new HttpClient();
        var fetcher = new ImageFetcher(new HostOptions { AllowedInsecure = ["registry.lan:5000", "dev.lan"] }, http);

        Assert.True(fetcher.Oci.IsPlainHttp(OciReference.Parse("127.0.0.1:5080/acme/hello:1")));
        Assert.True(fetcher.Oci.IsPlainHttp(OciReference.Parse("localhost:5000/acme/hello:1")));
        Assert.True(fetcher.Oci.IsPlainHttp(OciReference.Parse("[::1]:5000/acme/hello:1")));
        Assert.True(fetcher.Oci.IsPlainHttp(OciReference.Parse("registry.lan:5000/acme/hello:1")));
        Assert.True(fetcher.Oci.IsPlainHttp(OciReference.Parse("dev.lan:8443/acme/hello:1")));
        Assert.False(fetcher.Oci.IsPlainHttp(OciReference.Parse("registry.lan:6000/acme/hello:1")));
        Assert.False(fetcher.Oci.IsPlainHttp(OciReference.Parse("ghcr.io/acme/hello:1")));
    }

    [Fact]
    public void Registry_put_wins_then_the_oci_user_for_its_registry_only()
    {
        using var http = new HttpClient();
        var fetcher = new ImageFetcher(new HostOptions { OciRegistry = "portal.lan:5080", OciUser = "h_dev_x", OciPassword = "pw" }, http);

        Assert.Equal(new OciCredential("h_dev_x", "pw"), fetcher.CredentialFor(OciReference.Parse("portal.lan:5080/acme/hello:1")));
        Assert.Null(fetcher.CredentialFor(OciReference.Parse("ghcr.io/acme/hello:1")));

        fetcher.PutRegistries(new Dictionary<string, RegistryCredential>
        {
            ["portal.lan:5080"] = new() { Username = "ci", Password = "lpat_x" },
            ["ghcr.io"] = new() { Token = "gh-token" },
        });
        Assert.Equal(new OciCredential("ci", "lpat_x"), fetcher.CredentialFor(OciReference.Parse("portal.lan:5080/acme/hello:1")));
        Assert.Equal("gh-token", fetcher.CredentialFor(OciReference.Parse("ghcr.io/acme/hello:1"))?.Token);

        var everywhere = new ImageFetcher(new HostOptions { OciUser = "u", OciPassword = "p" }, http);
        Assert.Equal(new OciCredential("u", "p"), everywhere.CredentialFor(OciReference.Parse("ghcr.io/acme/hello:1")));
    }

    [Fact]
    public void Flags_and_environment_configure_registries_as_wasmCloud_names_them()
    {
        var env = new Dictionary<string, string>
        {
            ["WASMCLOUD_OCI_REGISTRY"] = "portal.lan:5080",
            ["WASMCLOUD_OCI_REGISTRY_USER"] = "h_dev_x",
            ["WASMCLOUD_OCI_REGISTRY_PASSWORD"] = "pw",
            ["WASMCLOUD_OCI_ALLOWED_INSECURE"] = "a.lan:5000, b.lan",
            ["WASMCLOUD_OCI_ALLOW_LATEST"] = "true",
        };
        var fromEnv = HostCommandLine.Parse([], env);
        Assert.Equal("portal.lan:5080", fromEnv.OciRegistry);
        Assert.Equal(["a.lan:5000", "b.lan"], fromEnv.AllowedInsecure);
        Assert.True(fromEnv.AllowLatest);

        var fromFlags = HostCommandLine.Parse(["--allowed-insecure", "c.lan", "--allow-insecure-registries=d.lan", "--oci-registry", "r.lan"], new Dictionary<string, string>());
        Assert.Equal(["c.lan", "d.lan"], fromFlags.AllowedInsecure);
        Assert.Equal("r.lan", fromFlags.OciRegistry);
        Assert.False(fromFlags.AllowLatest);
    }
}
