using System.Text.Json;
using Portal.Lattice.Control;

namespace Portal.Tests.Unit.Lattice.Control;

/// <summary>CloudEvents envelope and event data, from lattice-protocol.md section 2.</summary>
public sealed class EventGoldenTests
{
    private const string Heartbeat = """
        {"specversion":"1.0","id":"0190a1b2-c3d4-e5f6-0718-293a4b5c6d7e","type":"com.wasmcloud.lattice.host_heartbeat",
         "source":"NAPHEQMLMLYDX7RBOANIS2BXCEXER3FZ24XGDQVIDXKFEZKYNBHP23CT","datacontenttype":"application/json",
         "time":"2025-03-01T12:00:30.000000001Z",
         "data":{"components":[{"id":"rust_hello_world-http_component",
                    "image_ref":"ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0",
                    "annotations":{"wasmcloud.dev/appspec":"rust-hello-world","wasmcloud.dev/managed-by":"wadm",
                                   "wasmcloud.dev/scaler":"5f1c…","wasmcloud.dev/spread_name":"default"},
                    "revision":0,"max_instances":1,"limits":null}],
                 "providers":[{"id":"rust_hello_world-httpserver","image_ref":"ghcr.io/wasmcloud/http-server:0.27.0",
                    "name":"http-server-provider","revision":0,
                    "annotations":{"wasmcloud.dev/appspec":"rust-hello-world","wasmcloud.dev/managed-by":"wadm",
                                   "wasmcloud.dev/scaler":"77aa…","wasmcloud.dev/spread_name":"default"}}],
                 "host_id":"NAPHEQMLMLYDX7RBOANIS2BXCEXER3FZ24XGDQVIDXKFEZKYNBHP23CT",
                 "friendly_name":"crimson-wave-1887",
                 "labels":{"hostcore.arch":"x86_64","hostcore.os":"linux","hostcore.osfamily":"unix"},
                 "version":"1.9.2","uptime_human":"30s","uptime_seconds":30}}
        """;

    [Fact]
    public void Heartbeat_event_reads_envelope_and_inventory()
    {
        var evt = GoldenJson.Read<CloudEvent<HostInventory>>(Heartbeat);

        Assert.Equal("1.0", evt.SpecVersion);
        Assert.Equal("com.wasmcloud.lattice.host_heartbeat", evt.Type);
        Assert.Equal(LatticeEvents.HostHeartbeat, LatticeEvents.NameOf(evt.Type));
        Assert.Equal("NAPHEQMLMLYDX7RBOANIS2BXCEXER3FZ24XGDQVIDXKFEZKYNBHP23CT", evt.Source);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 12, 0, 30, TimeSpan.Zero), evt.Time);
        Assert.Equal("5f1c…", Assert.Single(evt.Data!.Components).Annotations!["wasmcloud.dev/scaler"]);
        Assert.Equal(30UL, evt.Data.UptimeSeconds);
        // Time differs only below .NET's 100 ns resolution; everything else is written back verbatim.
        GoldenJson.AssertSerializesTo(evt, Heartbeat, "time");
    }

    [Fact]
    public void Event_time_is_written_in_utc_with_z()
    {
        var evt = new CloudEvent<HostStoppedEvent> { Time = new DateTimeOffset(2025, 3, 1, 13, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234567), Data = new() };

        var json = JsonDocument.Parse(LatticeJson.Serialize(evt));

        Assert.Equal("2025-03-01T12:00:00.1234567Z", json.RootElement.GetProperty("time").GetString());
    }

    [Fact]
    public void Envelope_example_round_trips_with_raw_data()
    {
        const string example = """
            {"specversion":"1.0","id":"018f6f3a-8a2b-7c1e-9d4b-2f5e6a7b8c9d",
             "type":"com.wasmcloud.lattice.component_scaled","source":"NAPHEQ...23CT",
             "datacontenttype":"application/json","time":"2025-03-01T12:00:00.123456789Z",
             "data":{ }}
            """;

        var evt = LatticeEvents.Parse(System.Text.Encoding.UTF8.GetBytes(example));

        Assert.Equal("018f6f3a-8a2b-7c1e-9d4b-2f5e6a7b8c9d", evt.Id);
        Assert.Equal(LatticeEvents.ComponentScaled, LatticeEvents.NameOf(evt.Type));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567), evt.Time);
        GoldenJson.AssertSerializesTo(evt, example, "time");
    }

    [Fact]
    public void Component_scaled_data_matches_the_example()
    {
        const string example = """{"annotations":{"wasmcloud.dev/appspec":"rust-hello-world","wasmcloud.dev/managed-by":"wadm"},"host_id":"NAPHEQ…","image_ref":"ghcr.io/…:0.1.0","max_instances":1,"component_id":"rust_hello_world-http_component"}""";
        var data = new ComponentScaledEvent
        {
            Annotations = new() { ["wasmcloud.dev/appspec"] = "rust-hello-world", ["wasmcloud.dev/managed-by"] = "wadm" },
            HostId = "NAPHEQ…",
            ImageRef = "ghcr.io/…:0.1.0",
            MaxInstances = 1,
            ComponentId = "rust_hello_world-http_component",
        };

        GoldenJson.AssertSerializesTo(data, example);
        Assert.Equal(1U, GoldenJson.Read<ComponentScaledEvent>(example).MaxInstances);
    }

    [Fact]
    public void Provider_started_data_matches_the_example()
    {
        const string example = """{"host_id":"NAPHEQ…","image_ref":"ghcr.io/wasmcloud/http-server:0.27.0","provider_id":"rust_hello_world-httpserver","annotations":{}}""";
        var data = new ProviderStartedEvent { HostId = "NAPHEQ…", ImageRef = "ghcr.io/wasmcloud/http-server:0.27.0", ProviderId = "rust_hello_world-httpserver", Annotations = [] };

        GoldenJson.AssertSerializesTo(data, example);
        Assert.Equal("rust_hello_world-httpserver", GoldenJson.Read<ProviderStartedEvent>(example).ProviderId);
    }

    [Fact]
    public void Created_events_carry_type_source_and_a_fresh_id()
    {
        var a = LatticeEvents.Create(LatticeEvents.ConfigSet, "NHOST", new ConfigEvent { ConfigName = "cfg" });
        var b = LatticeEvents.Create(LatticeEvents.ConfigSet, "NHOST", new ConfigEvent { ConfigName = "cfg" });

        Assert.Equal("com.wasmcloud.lattice.config_set", a.Type);
        Assert.Equal("NHOST", a.Source);
        Assert.NotEqual(a.Id, b.Id);
        Assert.True(Guid.TryParse(a.Id, out _));
        GoldenJson.AssertSerializesTo(a.Data, """{"config_name":"cfg"}""");
    }
}
