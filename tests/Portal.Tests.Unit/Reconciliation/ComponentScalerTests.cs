using Portal.Lattice.Reconciliation;
using static Portal.Tests.Unit.Reconciliation.LatticeBuilder;

namespace Portal.Tests.Unit.Reconciliation;

public sealed class ComponentScalerTests
{
    private const string Image = "file:///hello.wasm";

    private static ComponentSpreadScaler Web(uint instances, params Spread[] spreads) => new()
    {
        AppName = "shop", ComponentName = "web", ComponentId = "shop-web", ImageRef = Image, Instances = instances, Spreads = spreads, ConfigNames = ["cfg"],
    };

    private static LatticeBuilder TwoZones() => new LatticeBuilder().Host("NA1", ("zone", "a")).Host("NA2", ("zone", "a")).Host("NB1", ("zone", "b"));

    [Fact]
    public void Many_applications_spread_over_the_hosts_instead_of_piling_onto_the_first()
    {
        var lattice = new LatticeBuilder();
        for (var h = 0; h < 20; h++) lattice.Host($"N{h:D2}", ("zone", "a"));
        var hosts = Enumerable.Range(0, 200)
            .Select(a => Assert.IsType<ScaleComponent>(Assert.Single((Web(1) with { AppName = $"app{a}", ComponentId = $"app{a}-web" }).Reconcile(lattice.State).Commands)).Host)
            .ToList();

        // 200 components over 20 hosts: the first-by-id rule put all of them on N00.
        var perHost = hosts.GroupBy(h => h).Select(g => g.Count()).ToList();
        Assert.Equal(20, perHost.Count);
        Assert.True(perHost.Max() <= 25, $"the busiest host got {perHost.Max()} of 200");
    }

    [Fact]
    public void Each_spread_becomes_one_scale_to_an_eligible_host_with_the_whole_count()
    {
        var scaler = Web(3, Zone("east", "a"), Zone("west", "b"));
        var result = scaler.Reconcile(TwoZones().State);

        Assert.Equal(StatusType.Reconciling, result.Status.Type);
        Assert.Equal("Scaling component on 2 host(s)", result.Status.Message);
        var commands = result.Commands.Cast<ScaleComponent>().ToList();
        Assert.Equal([("zone a", 2u), ("NB1", 1u)], commands.Select(c => (c.Host.StartsWith("NA") ? "zone a" : c.Host, c.Count)));
        var east = commands[0];
        Assert.Equal("shop-web", east.ComponentId);
        Assert.Equal(Image, east.ImageRef);
        Assert.Equal(["cfg"], east.Config);
        Assert.False(east.AllowUpdate);
        Assert.Equal(new Dictionary<string, string>
        {
            ["wasmcloud.dev/managed-by"] = "wadm", ["wasmcloud.dev/appspec"] = "shop",
            ["wasmcloud.dev/scaler"] = scaler.Id, ["wasmcloud.dev/spread_name"] = "east",
        }, east.Annotations);
    }

    [Fact]
    public void Satisfied_spreads_are_deployed_with_no_commands()
    {
        var scaler = Web(3, Zone("east", "a"), Zone("west", "b"));
        var lattice = TwoZones().Apply(scaler.Reconcile(TwoZones().State).Commands);
        var again = scaler.Reconcile(lattice.State);
        Assert.Empty(again.Commands);
        Assert.Equal(StatusInfo.Deployed(), again.Status);
    }

    [Fact]
    public void Someone_elses_instance_does_not_count_toward_a_spread()
    {
        var lattice = TwoZones().Component("NA1", "shop-web", Image, 5);
        var result = Web(1).Reconcile(lattice.State);
        var scale = Assert.IsType<ScaleComponent>(Assert.Single(result.Commands));
        Assert.Equal(1u, scale.Count);
    }

    [Fact]
    public void Too_many_instances_are_reduced_host_by_host()
    {
        var scaler = Web(1);
        var ours = ScalerAnnotations.ForSpread("shop", scaler.Id, "default");
        var lattice = TwoZones().Component("NA1", "shop-web", Image, 2, ours).Component("NA2", "shop-web", Image, 2, ours);
        var result = scaler.Reconcile(lattice.State);
        Assert.Equal([("NA1", 0u), ("NA2", 1u)], result.Commands.Cast<ScaleComponent>().Select(c => (c.Host, c.Count)));
        Assert.Equal("Scaling component on 2 host(s)", result.Status.Message);
    }

    [Fact]
    public void Instances_on_ineligible_hosts_are_stopped_first_and_alone()
    {
        var lattice = TwoZones().Component("NB1", "shop-web", Image, 1);
        var result = Web(1, Zone("east", "a")).Reconcile(lattice.State);
        var stop = Assert.IsType<ScaleComponent>(Assert.Single(result.Commands));
        Assert.Equal(("NB1", 0u), (stop.Host, stop.Count));
        Assert.Equal(new Dictionary<string, string> { ["wasmcloud.dev/managed-by"] = "wadm", ["wasmcloud.dev/appspec"] = "shop" }, stop.Annotations);
        Assert.Equal(StatusInfo.Reconciling("Found components running on ineligible hosts, removing them."), result.Status);
    }

    [Fact]
    public void A_spread_without_hosts_fails_in_wadms_words_and_the_others_still_scale()
    {
        var result = Web(2, Zone("east", "a"), Zone("mars", "mars")).Reconcile(TwoZones().State);
        Assert.Equal(StatusInfo.Failed($"Could not satisfy spread mars for {Image}, 0/1 eligible hosts found."), result.Status);
        Assert.Single(result.Commands);
    }

    [Fact]
    public void Overlapping_spreads_with_one_host_are_a_conflict_and_send_nothing()
    {
        var lattice = new LatticeBuilder().Host("NA1", ("zone", "a"));
        var result = Web(4, new Spread("one", new Dictionary<string, string>()), Zone("two", "a")).Reconcile(lattice.State);
        Assert.Empty(result.Commands);
        Assert.Equal(StatusType.Failed, result.Status.Type);
        Assert.StartsWith("Spread requirement conflict: ", result.Status.Message);
    }

    [Fact]
    public void Overlapping_spreads_with_enough_hosts_take_different_hosts()
    {
        var result = Web(4, new Spread("one", new Dictionary<string, string>()), Zone("two", "a")).Reconcile(TwoZones().State);
        var hosts = result.Commands.Select(c => c.HostId).ToList();
        Assert.Equal(2, hosts.Distinct().Count());
        Assert.StartsWith("NA", hosts[1]); // spread two: zone a
    }

    [Fact]
    public void A_new_image_is_applied_with_allow_update_on_the_host_already_running_it()
    {
        var old = Web(1);
        var lattice = TwoZones().Apply(old.Reconcile(TwoZones().State).Commands);
        var next = old with { ImageRef = "file:///echo.wasm" };

        var cleanup = old.Cleanup(lattice.State);
        var start = next.Reconcile(lattice.State);
        var scale = Assert.IsType<ScaleComponent>(Assert.Single(start.Commands));
        Assert.True(scale.AllowUpdate);
        Assert.Equal(scale.Host, Assert.IsType<ScaleComponent>(Assert.Single(cleanup.Commands)).Host);

        // Hosts take the update and the new annotations; the old scaler then has nothing left.
        var upgraded = lattice.Apply(start.Commands);
        Assert.Empty(old.Cleanup(upgraded.State).Commands);
        Assert.Empty(next.Reconcile(upgraded.State).Commands);
        Assert.Equal("file:///echo.wasm", upgraded.State.Snapshot.Hosts[scale.Host].Components["shop-web"].ImageRef);
    }

    [Fact]
    public void Cleanup_scales_only_this_scalers_instances_to_zero()
    {
        var scaler = Web(1, Zone("east", "a"));
        var lattice = TwoZones().Apply(scaler.Reconcile(TwoZones().State).Commands)
            .Component("NA2", "shop-web", Image, 3)
            .Component("NB1", "shop-web", Image, 1);
        var cleanup = scaler.Cleanup(lattice.State);
        var stop = Assert.IsType<ScaleComponent>(Assert.Single(cleanup.Commands));
        Assert.Equal(("NA1", 0u), (stop.Host, stop.Count));
        Assert.Empty(scaler.Cleanup(lattice.Apply(cleanup.Commands).State).Commands);
    }

    [Fact]
    public void A_lost_host_is_repaired_on_another_matching_host()
    {
        var scaler = Web(3, Zone("east", "a"), Zone("west", "b"));
        var lattice = TwoZones().Apply(scaler.Reconcile(TwoZones().State).Commands).RemoveHost("NA1");
        var repair = scaler.Reconcile(lattice.State);
        Assert.Equal([("NA2", 2u)], repair.Commands.Cast<ScaleComponent>().Select(c => (c.Host, c.Count)));
    }

    [Fact]
    public void Daemon_scales_every_matching_host_and_fails_without_one()
    {
        var daemon = new ComponentDaemonScaler { AppName = "shop", ComponentName = "web", ComponentId = "shop-web", ImageRef = Image, Instances = 2, Spreads = [Zone("east", "a")] };
        var result = daemon.Reconcile(TwoZones().State);
        Assert.Equal([("NA1", 2u), ("NA2", 2u)], result.Commands.Cast<ScaleComponent>().Select(c => (c.Host, c.Count)));
        Assert.Equal("Scaling component on 2 host(s)", result.Status.Message);

        var lattice = TwoZones().Apply(result.Commands);
        Assert.Equal(ScalerResult.Deployed().Status, daemon.Reconcile(lattice.State).Status);
        Assert.Empty(daemon.Reconcile(lattice.State).Commands);
        Assert.Equal(2, daemon.Cleanup(lattice.State).Commands.Count);

        var none = (daemon with { Spreads = [Zone("mars", "mars")] }).Reconcile(TwoZones().State);
        Assert.Equal(StatusType.Failed, none.Status.Type);
        Assert.Equal($"Could not satisfy daemonscaler for {Image}, 0 eligible hosts found.", none.Status.Message);
    }
}
