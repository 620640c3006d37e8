using Portal.Api.Topology;
using Portal.Web.Components.Topology;

namespace Portal.Tests.Unit.Topology;

public sealed class TopologyGraphBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Hosts_are_compound_nodes_holding_their_actors_and_providers_with_health_and_staleness()
    {
        var view = View(
            Host("NA", "zone=eu", components: [Component("web", 3, app: "shop")], providers: [Provider("http", "Healthy"), Provider("kv", "Unknown")]),
            Host("NB", "zone=us", stale: true, components: [Component("web", 1)], providers: [Provider("bad", "Unhealthy")]));

        var graph = TopologyGraphBuilder.Build(view, new TopologyGraphOptions());

        var hostA = graph.Elements["h:NA"];
        Assert.Equal("host", hostA.Kind);
        Assert.Null(hostA.Parent);
        Assert.Contains("v1.2.0", hostA.Label);
        Assert.Contains("zone=eu", hostA.Label);
        Assert.Contains("up 2h 5m", hostA.Label);
        var web = graph.Elements["h:NA/c:web"];
        Assert.Equal(("component", "h:NA", "ok", "shop"), (web.Kind, web.Parent, web.State, web.Application));
        Assert.Contains("3 instances", web.Label);
        Assert.Equal("ok", graph.Elements["h:NA/p:http"].State);
        Assert.Equal("unknown", graph.Elements["h:NA/p:kv"].State);
        // A stale host greys out with everything on it, whatever its health said.
        Assert.Equal("stale", graph.Elements["h:NB"].State);
        Assert.Equal("stale", graph.Elements["h:NB/c:web"].State);
        Assert.Equal("stale", graph.Elements["h:NB/p:bad"].State);
        Assert.Null(graph.CollapseKey);
    }

    [Fact]
    public void A_change_to_one_instance_sends_only_that_node_and_a_reaped_host_is_removed_with_its_instances()
    {
        var before = TopologyGraphBuilder.Build(View(Host("NA", "zone=eu", components: [Component("web", 1)]), Host("NB", "zone=us")), new TopologyGraphOptions());
        var after = TopologyGraphBuilder.Build(View(Host("NA", "zone=eu", components: [Component("web", 2)])), new TopologyGraphOptions());

        var (upserts, removals) = after.Since(before);

        Assert.Equal(["h:NA/c:web"], upserts.Select(u => u.Id));
        Assert.Equal(["h:NB"], removals);
        Assert.Empty(after.Since(after).Upserts);
    }

    [Fact]
    public void Links_are_edges_labelled_with_interface_and_name_preferring_the_target_on_the_same_host()
    {
        var view = View(
            [Host("NA", "zone=eu", components: [Component("web", 1)], providers: [Provider("http", "Healthy")]),
             Host("NB", "zone=us", components: [Component("web", 1)])],
            [new TopologyLink("http", "web", "default", "wasi", "http", ["incoming-handler"], [], [])]);

        var edges = TopologyGraphBuilder.Build(view, new TopologyGraphOptions()).Elements.Values.Where(e => e.IsEdge).ToList();

        var edge = Assert.Single(edges);
        Assert.Equal(("h:NA/p:http", "h:NA/c:web"), (edge.Source, edge.Target));
        Assert.Equal("wasi:http/incoming-handler · default", edge.Label);
    }

    [Fact]
    public void Grouping_by_label_boxes_hosts_by_value_and_by_application_repeats_a_host_per_application()
    {
        var view = View(
            Host("NA", "zone=eu", components: [Component("web", 1, app: "shop"), Component("cron", 1)]),
            Host("NB", "rack=r1"));

        var byZone = TopologyGraphBuilder.Build(view, new TopologyGraphOptions(TopologyGrouping.Label, "zone"));
        Assert.Equal("g:zone=eu", byZone.Elements["h:NA"].Parent);
        Assert.Equal("g:zone=(none)", byZone.Elements["h:NB"].Parent);

        var byApp = TopologyGraphBuilder.Build(view, new TopologyGraphOptions(TopologyGrouping.Application));
        Assert.Equal("g:app:shop", byApp.Elements["h:NA@shop"].Parent);
        Assert.Equal("h:NA@shop", byApp.Elements["h:NA@shop/c:web"].Parent);
        Assert.False(byApp.Elements.ContainsKey("h:NA@shop/c:cron"));
        Assert.Equal("h:NA@", byApp.Elements["h:NA@/c:cron"].Parent);
        // A host running nothing sits in the "not managed" group.
        Assert.Equal("g:app:", byApp.Elements["h:NB@"].Parent);
    }

    [Fact]
    public void Past_the_host_threshold_hosts_fold_into_one_node_per_label_value_and_an_opened_group_shows_its_hosts()
    {
        var hosts = Enumerable.Range(0, 150)
            .Select(i => Host($"N{i:D3}", $"zone=z{i % 3}", stale: i == 0, components: [Component("web", 2)]))
            .ToArray();
        var view = View(hosts);

        var folded = TopologyGraphBuilder.Build(view, new TopologyGraphOptions());

        Assert.Equal("zone", folded.CollapseKey);
        Assert.Equal(["g:zone=z0", "g:zone=z1", "g:zone=z2"], folded.Elements.Keys.Order());
        var z0 = folded.Elements["g:zone=z0"];
        Assert.Equal("collapsed", z0.Kind);
        Assert.Contains("50 hosts · 100 actor instances", z0.Label);
        Assert.Contains("1 stale", z0.Label);
        Assert.Equal("unknown", z0.State);

        var opened = TopologyGraphBuilder.Build(view, new TopologyGraphOptions { Expanded = new HashSet<string> { "g:zone=z1" } });
        Assert.Equal("group", opened.Elements["g:zone=z1"].Kind);
        Assert.Equal("g:zone=z1", opened.Elements["h:N001"].Parent);
        Assert.Equal("h:N001", opened.Elements["h:N001/c:web"].Parent);
        Assert.Equal("collapsed", opened.Elements["g:zone=z2"].Kind);
        Assert.False(opened.Elements.ContainsKey("h:N002"));
    }

    [Fact]
    public void The_folding_label_is_one_of_ours_that_splits_the_hosts_before_hostcore_labels()
    {
        var hosts = Enumerable.Range(0, 10).Select(i => Host($"N{i}", $"hostcore.arch=a{i % 2}", $"region=r{i % 4}", "same=1")).ToList();

        Assert.Equal("region", TopologyGraphBuilder.SplittingLabel(hosts));
        Assert.Equal("hostcore.arch", TopologyGraphBuilder.SplittingLabel([.. hosts.Select(h => h with { Labels = h.Labels.Where(l => l.Key != "region").ToDictionary() })]));
    }

    [Theory]
    [InlineData(30UL, "<1m")]
    [InlineData(125UL, "2m")]
    [InlineData(7500UL, "2h 5m")]
    [InlineData(180000UL, "2d 2h")]
    public void Uptime_reads_in_minutes_at_most(ulong seconds, string expected) => Assert.Equal(expected, TopologyGraphBuilder.Uptime(seconds));

    private static TopologyView View(params TopologyHost[] hosts) => View(hosts, []);

    private static TopologyView View(TopologyHost[] hosts, TopologyLink[] links) => new("dev", "t-dev", 1, Now, hosts, links, []);

    private static TopologyHost Host(string id, params string[] labels) => Host(id, labels[0], components: [], providers: [], extra: labels[1..]);

    private static TopologyHost Host(string id, string label, bool stale = false, TopologyComponent[]? components = null, TopologyProvider[]? providers = null, string[]? extra = null)
    {
        var all = new[] { label }.Concat(extra ?? []).Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]);
        all["hostcore.os"] = "linux";
        return new TopologyHost(id, "host-" + id, all, "1.2.0", 7500, Now, Now, stale, components ?? [], providers ?? []);
    }

    private static TopologyComponent Component(string id, uint count, string? app = null) =>
        new(id, null, "ghcr.io/x/" + id + ":1", count, new Dictionary<string, string>(), app is null ? null : new ManagedBy(app, true));

    private static TopologyProvider Provider(string id, string health) =>
        new(id, null, "builtin://" + id, health, new Dictionary<string, string>(), null);
}
