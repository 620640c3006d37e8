using Portal.Api.Topology;
using Portal.Lattice.Control;
using Portal.Lattice.Observation;
using Portal.Lattice.Reconciliation;

namespace Portal.Tests.Unit.Topology;

public sealed class TopologyViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static ObservedHost Host(string id, TimeSpan silentFor, params ObservedComponent[] components) => new()
    {
        HostId = id, FriendlyName = id.ToLowerInvariant(), LastSeen = Now - silentFor, LastHeartbeat = Now - silentFor, UptimeSeconds = 100,
        Labels = new Dictionary<string, string> { ["zone"] = "eu" },
        Components = components.ToDictionary(c => c.Id),
    };

    private static LatticeSnapshot Snapshot(params ObservedHost[] hosts) => new()
    {
        Lattice = "acme-dev", Version = 7, Hosts = hosts.ToDictionary(h => h.HostId),
        Links = [new Link { SourceId = "shop-api", Target = "kv", WitNamespace = "wasi", WitPackage = "keyvalue", Interfaces = ["store", "atomics"], Name = "cache" }],
        ConfigNames = new HashSet<string> { "b-config", "a-config" },
    };

    [Fact]
    public void A_host_silent_past_the_stale_window_is_stale_and_its_uptime_moves_on_while_it_is_not()
    {
        var view = TopologyViews.From("dev", Snapshot(Host("NFRESH", TimeSpan.FromSeconds(5)), Host("NSILENT", TimeSpan.FromSeconds(50))), new HashSet<string>(), TimeSpan.FromSeconds(47), Now);

        Assert.False(view.Hosts.Single(h => h.Id == "NFRESH").Stale);
        Assert.True(view.Hosts.Single(h => h.Id == "NSILENT").Stale);
        Assert.Equal(105UL, view.Hosts.Single(h => h.Id == "NFRESH").UptimeSeconds);
        Assert.Equal(["a-config", "b-config"], view.Configs);
        Assert.Equal("wasi:keyvalue/store,atomics", view.Links.Single().Interface);
        Assert.Equal(("dev", "acme-dev", 7L), (view.Lattice, view.LatticeId, view.Version));
    }

    [Fact]
    public void Managed_by_names_the_wadm_application_and_knows_whether_the_tenant_has_it()
    {
        var mine = new ObservedComponent("shop-api", "reg/shop:1", 2, null, ScalerAnnotations.ForApp("shop"));
        var foreign = new ObservedComponent("other-api", "reg/other:1", 1, null, ScalerAnnotations.ForApp("other"));
        var byHand = new ObservedComponent("manual", "reg/manual:1", 1, null, new Dictionary<string, string> { [ScalerAnnotations.AppSpec] = "shop" });
        var view = TopologyViews.From("dev", Snapshot(Host("NA", TimeSpan.Zero, mine, foreign, byHand)), new HashSet<string> { "shop" }, TimeSpan.FromSeconds(47), Now);

        var components = view.Hosts.Single().Components.ToDictionary(c => c.Id);
        Assert.Equal(new ManagedBy("shop", true), components["shop-api"].ManagedBy);
        Assert.Equal(new ManagedBy("other", false), components["other-api"].ManagedBy);
        Assert.Null(components["manual"].ManagedBy);
        Assert.Equal(4, view.ComponentInstances);
    }

    [Fact]
    public void Csv_quotes_what_needs_quoting_and_defuses_formulas()
    {
        var rows = new[]
        {
            new HostRow("NA", "alpha", "rack=r1, zone=eu", "1.0", 5, Now, false, 1, 0),
            new HostRow("NB", "say \"hi\"", "", null, 0, Now, true, 0, 2),
            new HostRow("NC", "=cmd()", "", "1.0", 0, Now, false, 0, 0),
        };

        var lines = InventoryCsv.Hosts(rows).Split("\r\n");

        Assert.Equal("host_id,name,labels,version,uptime_seconds,last_seen,stale,actors,providers", lines[0]);
        Assert.Equal("NA,alpha,\"rack=r1, zone=eu\",1.0,5,2026-11-22T12:00:00Z,false,1,0", lines[1]);
        Assert.Equal("NB,\"say \"\"hi\"\"\",,,0,2026-11-22T12:00:00Z,true,0,2", lines[2]);
        Assert.Equal("NC,'=cmd(),,1.0,0,2026-11-22T12:00:00Z,false,0,0", lines[3]);
        Assert.Equal("", lines[4]);
    }

    [Fact]
    public void Sse_events_carry_id_and_type_and_split_multi_line_data()
    {
        var text = EventStreamWriter.Format(new LatticeEventMessage("0192-id", "com.wasmcloud.lattice.component_scaled", "NA", Now, "{\n\"a\":1}"));

        Assert.Equal("id: 0192-id\nevent: com.wasmcloud.lattice.component_scaled\ndata: {\ndata: \"a\":1}\n\n", text);
    }
}
