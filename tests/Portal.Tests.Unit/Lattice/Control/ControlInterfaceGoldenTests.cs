using Portal.Lattice.Control;

namespace Portal.Tests.Unit.Lattice.Control;

/// <summary>Each example is copied from lattice-protocol.md section 1; our records must read and write exactly that JSON.</summary>
public sealed class ControlInterfaceGoldenTests
{
    private const string PingReply = """
        {"success":true,"message":"","response":{
          "rpc_host":"nats://127.0.0.1:4222","ctl_host":"nats://127.0.0.1:4222",
          "friendly_name":"crimson-wave-1887",
          "id":"NAPHEQMLMLYDX7RBOANIS2BXCEXER3FZ24XGDQVIDXKFEZKYNBHP23CT",
          "js_domain":"core",
          "labels":{"hostcore.arch":"x86_64","hostcore.os":"linux","hostcore.osfamily":"unix","zone":"eu-1"},
          "lattice":"default","uptime_human":"1h 2m 3s","uptime_seconds":3723,"version":"1.9.2"}}
        """;

    private const string HostGetReply = """
        {"success":true,"message":"","response":{
          "components":[{"id":"rust_hello_world-http_component",
            "image_ref":"ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0",
            "name":"http-hello-world","annotations":{"wasmcloud.dev/managed-by":"wadm"},
            "revision":0,"max_instances":1,"limits":null}],
          "providers":[{"id":"rust_hello_world-httpserver","image_ref":"ghcr.io/wasmcloud/http-server:0.27.0",
            "name":"http-server-provider","revision":0,"annotations":{}}],
          "host_id":"NAPHEQ...23CT","friendly_name":"crimson-wave-1887",
          "labels":{"hostcore.arch":"x86_64","hostcore.os":"linux","hostcore.osfamily":"unix"},
          "version":"1.9.2","uptime_human":"2m 5s","uptime_seconds":125}}
        """;

    private const string ScaleCommand = """
        {"component_ref":"ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0",
         "component_id":"rust_hello_world-http_component",
         "annotations":{"wasmcloud.dev/managed-by":"wadm","wasmcloud.dev/appspec":"rust-hello-world"},
         "count":5, "host_id":"NAPHEQ...23CT", "config":["rust_hello_world-default_http"],
         "allow_update":false, "component_limits":null}
        """;

    private const string LinkPut = """
        {"source_id":"rust_hello_world-httpserver","target":"rust_hello_world-http_component",
         "name":"default","wit_namespace":"wasi","wit_package":"http",
         "interfaces":["incoming-handler"],
         "source_config":["rust_hello_world-default_http"],"target_config":[]}
        """;

    [Fact]
    public void Ping_reply_reads_and_writes_the_host_fields()
    {
        var reply = GoldenJson.Read<CtlResponse<HostInfo>>(PingReply);

        Assert.True(reply.Success);
        var host = reply.Response!;
        Assert.Equal("NAPHEQMLMLYDX7RBOANIS2BXCEXER3FZ24XGDQVIDXKFEZKYNBHP23CT", host.Id);
        Assert.Equal("crimson-wave-1887", host.FriendlyName);
        Assert.Equal("eu-1", host.Labels["zone"]);
        Assert.Equal(3723UL, host.UptimeSeconds);
        Assert.Equal("core", host.JsDomain);
        Assert.Equal("1.9.2", host.Version);
        GoldenJson.AssertSerializesTo(reply, PingReply);
    }

    [Fact]
    public void Ping_reply_omits_optional_fields_that_are_null()
    {
        var json = LatticeJson.Serialize(new HostInfo { Id = "N1", FriendlyName = "f", Lattice = "default" });
        var text = System.Text.Encoding.UTF8.GetString(json);

        Assert.DoesNotContain("js_domain", text);
        Assert.DoesNotContain("rpc_host", text);
        Assert.Contains("\"uptime_seconds\":0", text);
    }

    [Fact]
    public void Host_inventory_round_trips_with_limits_null_kept()
    {
        var reply = GoldenJson.Read<CtlResponse<HostInventory>>(HostGetReply);

        var inventory = reply.Response!;
        var component = Assert.Single(inventory.Components);
        Assert.Equal("rust_hello_world-http_component", component.Id);
        Assert.Equal(1U, component.MaxInstances);
        Assert.Null(component.Limits);
        Assert.Equal("wadm", component.Annotations!["wasmcloud.dev/managed-by"]);
        Assert.Equal("http-server-provider", Assert.Single(inventory.Providers).Name);
        Assert.Equal(125UL, inventory.UptimeSeconds);
        GoldenJson.AssertSerializesTo(reply, HostGetReply);
    }

    [Fact]
    public void Inventory_accepts_the_legacy_actors_key()
    {
        var inventory = GoldenJson.Read<HostInventory>("""{"actors":[{"id":"a","image_ref":"r","revision":0,"max_instances":2,"limits":null}],"providers":[],"host_id":"N","friendly_name":"f","labels":{},"uptime_seconds":1}""");

        Assert.Equal("a", Assert.Single(inventory.Components).Id);
        Assert.DoesNotContain("actors", System.Text.Encoding.UTF8.GetString(LatticeJson.Serialize(inventory)));
    }

    [Fact]
    public void Scale_command_spells_the_instance_cap_count()
    {
        var command = new ScaleComponentCommand
        {
            ComponentRef = "ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0",
            ComponentId = "rust_hello_world-http_component",
            Annotations = new() { ["wasmcloud.dev/managed-by"] = "wadm", ["wasmcloud.dev/appspec"] = "rust-hello-world" },
            MaxInstances = 5,
            HostId = "NAPHEQ...23CT",
            Config = ["rust_hello_world-default_http"],
        };

        GoldenJson.AssertSerializesTo(command, ScaleCommand);
        var read = GoldenJson.Read<ScaleComponentCommand>(ScaleCommand);
        Assert.Equal(5U, read.MaxInstances);
        Assert.Equal(["rust_hello_world-default_http"], read.Config);
        Assert.DoesNotContain("max_instances", System.Text.Encoding.UTF8.GetString(LatticeJson.Serialize(command)));
    }

    [Fact]
    public void Scale_command_defaults_match_the_host_for_a_minimal_body()
    {
        var read = GoldenJson.Read<ScaleComponentCommand>("""{"component_id":"x"}""");

        Assert.Equal("", read.ComponentRef);
        Assert.Equal(0U, read.MaxInstances);
        Assert.Empty(read.Config);
        Assert.False(read.AllowUpdate);
    }

    [Fact]
    public void Link_round_trips()
    {
        var link = new Link
        {
            SourceId = "rust_hello_world-httpserver",
            Target = "rust_hello_world-http_component",
            WitNamespace = "wasi",
            WitPackage = "http",
            Interfaces = ["incoming-handler"],
            SourceConfig = ["rust_hello_world-default_http"],
        };

        GoldenJson.AssertSerializesTo(link, LinkPut);
        var read = GoldenJson.Read<Link>(LinkPut);
        Assert.Equal("default", read.Name);
        Assert.Equal(["incoming-handler"], read.Interfaces);
    }

    [Fact]
    public void Link_name_defaults_to_default_when_absent()
    {
        var read = GoldenJson.Read<Link>("""{"source_id":"s","target":"t","wit_namespace":"wasi","wit_package":"keyvalue","interfaces":["store"]}""");

        Assert.Equal("default", read.Name);
        Assert.Empty(read.SourceConfig);
    }

    [Fact]
    public void Small_command_bodies_match_the_protocol_examples()
    {
        GoldenJson.AssertSerializesTo(new StopHostCommand { HostId = "N...", Timeout = 5000 }, """{"host_id":"N...","timeout":5000}""");
        GoldenJson.AssertSerializesTo(new StopHostCommand(), "{}");
        GoldenJson.AssertSerializesTo(new HostLabel("zone", "eu-1"), """{"key":"zone","value":"eu-1"}""");
        GoldenJson.AssertSerializesTo(new HostLabelIdentifier("zone"), """{"key":"zone"}""");
        GoldenJson.AssertSerializesTo(
            new UpdateComponentCommand { HostId = "N...", ComponentId = "x", NewComponentRef = "ghcr.io/...:0.2.0", Annotations = [] },
            """{"host_id":"N...","component_id":"x","new_component_ref":"ghcr.io/...:0.2.0","annotations":{}}""");
        GoldenJson.AssertSerializesTo(
            new StartProviderCommand { ProviderId = "p", ProviderRef = "ghcr.io/wasmcloud/http-server:0.27.0", HostId = "N…", Config = ["cfg1"], Annotations = [] },
            """{"provider_id":"p","provider_ref":"ghcr.io/wasmcloud/http-server:0.27.0","host_id":"N…","config":["cfg1"],"annotations":{}}""");
        GoldenJson.AssertSerializesTo(new StopProviderCommand { HostId = "N…", ProviderId = "p" }, """{"host_id":"N…","provider_id":"p"}""");
        GoldenJson.AssertSerializesTo(
            new DeleteLinkRequest { SourceId = "…", WitNamespace = "wasi", WitPackage = "http" },
            """{"source_id":"…","name":"default","wit_namespace":"wasi","wit_package":"http"}""");
        GoldenJson.AssertSerializesTo(
            new ComponentAuctionRequest { ComponentRef = "…", ComponentId = "x", Constraints = new() { ["zone"] = "eu-1" } },
            """{"component_ref":"…","component_id":"x","constraints":{"zone":"eu-1"}}""");
        GoldenJson.AssertSerializesTo(
            new ProviderAuctionRequest { ProviderRef = "…", ProviderId = "p" },
            """{"provider_ref":"…","provider_id":"p","constraints":{}}""");
        GoldenJson.AssertSerializesTo(
            new Dictionary<string, RegistryCredential> { ["ghcr.io"] = new() { Username = "u", Password = "p" } },
            """{"ghcr.io":{"username":"u","password":"p","registryType":"oci"}}""");
    }

    [Fact]
    public void Auction_acks_read_from_the_examples()
    {
        var component = GoldenJson.Read<CtlResponse<ComponentAuctionAck>>("""{"success":true,"message":"","response":{"component_ref":"…","component_id":"x","host_id":"N…","constraints":{"zone":"eu-1"}}}""");
        var provider = GoldenJson.Read<CtlResponse<ProviderAuctionAck>>("""{"success":true,"message":"","response":{"host_id":"N…","provider_ref":"…","provider_id":"p","constraints":{}}}""");

        Assert.Equal("N…", component.Response!.HostId);
        Assert.Equal("eu-1", component.Response.Constraints["zone"]);
        Assert.Equal("p", provider.Response!.ProviderId);
    }

    [Fact]
    public void Envelopes_for_commands_errors_and_config()
    {
        GoldenJson.AssertSerializesTo(CtlResponse.Ok("successfully put label"), """{"success":true,"message":"successfully put label"}""");
        GoldenJson.AssertSerializesTo(CtlResponse.Error("failed to deserialize component scale command"), """{"success":false,"message":"failed to deserialize component scale command"}""");
        GoldenJson.AssertSerializesTo(
            CtlResponse<Dictionary<string, string>>.Ok(new() { ["address"] = "0.0.0.0:8000" }),
            """{"success":true,"message":"","response":{"address":"0.0.0.0:8000"}}""");

        var missing = GoldenJson.Read<CtlResponse<Dictionary<string, string>>>("""{"success":true,"message":"Configuration not found"}""");
        Assert.True(missing.Success);
        Assert.Null(missing.Response);
        Assert.Equal("Configuration not found", missing.Message);
        var links = GoldenJson.Read<CtlResponse<List<Link>>>($$"""{"success":true,"message":"","response":[{{LinkPut}}]}""");
        Assert.Equal("http", Assert.Single(links.Response!).WitPackage);
    }
}
