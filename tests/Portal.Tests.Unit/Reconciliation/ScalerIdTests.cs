using System.Security.Cryptography;
using System.Text;
using Portal.Lattice.Reconciliation;

namespace Portal.Tests.Unit.Reconciliation;

public sealed class ScalerIdTests
{
    private static ComponentSpreadScaler Web(string image = "file:///hello.wasm", params string[] config) => new()
    {
        AppName = "shop", ComponentName = "web", ComponentId = "shop-web", ImageRef = image, Instances = 1, ConfigNames = config,
    };

    private static LinkScaler Link(string? sourceConfig = null) => new()
    {
        AppName = "shop", SourceId = "shop-http", TargetId = "shop-web", Namespace = "wasi", Package = "http",
        Interfaces = ["incoming-handler"], SourceConfigNames = sourceConfig is null ? [] : [sourceConfig],
    };

    [Fact]
    public void Spread_id_is_the_sha256_hex_of_the_concatenated_parts()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("SpreadScalershopwebshop-webfile:///hello.wasmcfg")));
        Assert.Equal(expected, Web(config: "cfg").Id);
        Assert.Equal("SpreadScaler", Web().Kind);
        Assert.Equal("shop-web", Web().Name);
    }

    [Fact]
    public void Ids_are_stable_and_change_with_their_inputs()
    {
        Assert.Equal(Web().Id, Web().Id);
        Assert.Equal(Web().Id, (Web() with { Instances = 9, Spreads = [LatticeBuilder.Zone("a", "a")] }).Id);
        Assert.NotEqual(Web().Id, Web("file:///other.wasm").Id);
        Assert.NotEqual(Web().Id, Web(config: "cfg").Id);
        Assert.NotEqual(Web().Id, (Web() with { AppName = "other" }).Id);

        var daemon = new ComponentDaemonScaler { AppName = "shop", ComponentName = "web", ComponentId = "shop-web", ImageRef = "file:///hello.wasm", Instances = 1 };
        Assert.NotEqual(Web().Id, daemon.Id);
        Assert.Equal("DaemonScaler", daemon.Kind);

        Assert.Equal(Link().Id, Link().Id);
        Assert.NotEqual(Link().Id, Link("address").Id);
        Assert.NotEqual(Link().Id, (Link() with { LinkName = "other" }).Id);
        Assert.Equal("shop-http -(wasi:http)-> shop-web", Link().Name);
    }

    [Fact]
    public void Provider_spread_scalers_use_the_spread_kind()
    {
        var provider = new ProviderSpreadScaler { AppName = "shop", ComponentName = "http", ProviderId = "shop-http", ImageRef = "wasmcloud+builtin://http-server", Instances = 1 };
        Assert.Equal("SpreadScaler", provider.Kind);
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("SpreadScalershophttpshop-httpwasmcloud+builtin://http-server")));
        Assert.Equal(expected, provider.Id);
    }

    [Fact]
    public void Owned_config_id_is_name_dash_hash_of_content_external_is_the_name()
    {
        var owned = new ConfigScaler { AppName = "shop", ConfigName = "shop-address", Properties = new Dictionary<string, string> { ["address"] = "0.0.0.0:8000" } };
        Assert.Matches(@"^shop-address-\d+$", owned.Id);
        Assert.Equal(owned.Id, (owned with { Properties = new Dictionary<string, string> { ["address"] = "0.0.0.0:8000" } }).Id);
        Assert.NotEqual(owned.Id, (owned with { Properties = new Dictionary<string, string> { ["address"] = "0.0.0.0:9000" } }).Id);
        Assert.Equal("shop-address", (owned with { Properties = null }).Id);
        Assert.Equal("ConfigScaler", owned.Kind);
    }
}
