using Portal.Lattice.Reconciliation;
using static Portal.Tests.Unit.Reconciliation.LatticeBuilder;

namespace Portal.Tests.Unit.Reconciliation;

public sealed class PlannerTests
{
    private static AppScalers Shop(string version, string image = "file:///hello.wasm", string address = "127.0.0.1:8080")
    {
        var config = new ConfigScaler { AppName = "shop", ConfigName = "shop-address", Properties = new Dictionary<string, string> { ["address"] = address } };
        return new AppScalers("shop", version,
        [
            new ComponentSpreadScaler { AppName = "shop", ComponentName = "web", ComponentId = "shop-web", ImageRef = image, Instances = 3, Spreads = [Zone("east", "a"), Zone("west", "b")] },
            new ProviderSpreadScaler { AppName = "shop", ComponentName = "http", ProviderId = "shop-http", ImageRef = "wasmcloud+builtin://http-server", Instances = 1, Spreads = [Zone("edge", "a")] },
            new LinkScaler
            {
                AppName = "shop", SourceId = "shop-http", TargetId = "shop-web", Namespace = "wasi", Package = "http", Interfaces = ["incoming-handler"],
                SourceConfigNames = ["shop-address"], Configs = [config],
            },
        ]);
    }

    private static LatticeBuilder Hosts() => new LatticeBuilder().Host("NA1", ("zone", "a")).Host("NB1", ("zone", "b")).Host("NB2", ("zone", "b"));

    /// <summary>Runs passes, applying each one's commands, until one sends nothing; returns the passes' command counts.</summary>
    private static List<int> Converge(LatticeBuilder lattice, DesiredLattice desired)
    {
        var counts = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            var plan = ReconcilePlanner.Plan(desired, lattice.State);
            counts.Add(plan.Commands.Count);
            if (plan.Commands.Count == 0) return counts;
            lattice.Apply(plan.Commands.Select(c => c.Command));
        }

        throw new InvalidOperationException("did not converge: " + string.Join(",", counts));
    }

    [Fact]
    public void Config_goes_first_then_everything_and_the_next_pass_sends_nothing()
    {
        var lattice = Hosts();
        var desired = new DesiredLattice([Shop("v1")], []);
        var first = ReconcilePlanner.Plan(desired, lattice.State);
        Assert.Equal(["PutConfig", "ScaleComponent", "ScaleComponent", "StartProvider"], first.Commands.Select(c => c.Command.GetType().Name).Order());
        Assert.Equal("Waiting for configuration", first.Statuses["shop"].Scalers!.Single(s => s.Kind == "LinkScaler").Status.Message);

        Assert.Equal([4, 1, 0], Converge(lattice, desired));
        var done = ReconcilePlanner.Plan(desired, lattice.State);
        Assert.Equal(StatusType.Deployed, done.Statuses["shop"].Status.Type);
        Assert.Equal(["SpreadScaler", "SpreadScaler", "ConfigScaler", "LinkScaler"], done.Statuses["shop"].Scalers!.Select(s => s.Kind));
        Assert.Empty(done.Problems);
    }

    [Fact]
    public void A_plan_to_convergence_lists_the_link_that_waits_for_its_config_and_leaves_the_lattice_as_it_was()
    {
        var lattice = Hosts();
        var desired = new DesiredLattice([Shop("v1")], []);
        var before = lattice.State;

        var plan = ReconcilePlanner.PlanToConvergence(desired, before);

        Assert.Equal(["PutConfig", "PutLink", "ScaleComponent", "ScaleComponent", "StartProvider"], plan.Commands.Select(c => c.Command.GetType().Name).Order());
        // Problems and statuses describe the lattice as it is, not as projected.
        Assert.Equal("Waiting for configuration", plan.Statuses["shop"].Scalers!.Single(s => s.Kind == "LinkScaler").Status.Message);
        Assert.Empty(before.Links);
        Assert.Empty(before.Configs);
        Assert.All(before.Snapshot.Hosts.Values, h => Assert.Empty(h.Components));
    }

    [Fact]
    public void Projecting_a_plan_gives_the_lattice_the_reconciler_then_leaves_alone()
    {
        var desired = new DesiredLattice([Shop("v1")], []);
        var state = Hosts().State;

        var plan = ReconcilePlanner.PlanToConvergence(desired, state);
        var projected = LatticeProjection.Apply(state, plan.Commands.Select(c => c.Command));

        Assert.Empty(ReconcilePlanner.Plan(desired, projected).Commands);
        Assert.Equal(StatusType.Deployed, ReconcilePlanner.Plan(desired, projected).Statuses["shop"].Status.Type);
    }

    [Fact]
    public void Upgrade_cleans_up_scalers_not_in_the_new_version_and_keeps_the_rest()
    {
        var lattice = Hosts();
        Converge(lattice, new DesiredLattice([Shop("v1")], []));
        var v2 = Shop("v2", image: "file:///echo.wasm", address: "127.0.0.1:9090");
        Assert.Equal(2, AppScalers.Retired(Shop("v1"), v2).Count); // the component spread and the config

        var desired = new DesiredLattice([v2], [Shop("v1")]);
        var plan = ReconcilePlanner.Plan(desired, lattice.State);
        // The old config scaler's name lives on in v2: it is put, never deleted.
        Assert.DoesNotContain(plan.Commands, c => c.Command is DeleteConfig);
        Assert.Contains(plan.Commands, c => c.Cleanup && c.Command is ScaleComponent { Count: 0 });
        Converge(lattice, desired);

        var components = lattice.State.Snapshot.Hosts.Values.SelectMany(h => h.Components.Values).ToList();
        Assert.All(components, c => Assert.Equal("file:///echo.wasm", c.ImageRef));
        Assert.All(components, c => Assert.Equal(v2.Scalers[0].Id, c.Annotations[ScalerAnnotations.Scaler]));
        Assert.Equal("127.0.0.1:9090", lattice.State.Configs["shop-address"]["address"]);
        Assert.Equal(StatusType.Deployed, ReconcilePlanner.Plan(desired, lattice.State).Statuses["shop"].Status.Type);
    }

    [Fact]
    public void Undeploy_removes_what_the_app_owned_and_nothing_else()
    {
        var lattice = Hosts().Component("NB2", "bystander", "file:///other.wasm", 1).Config("external", ("k", "v"));
        Converge(lattice, new DesiredLattice([Shop("v1")], []));
        var desired = new DesiredLattice([], [Shop("v1")]);
        Assert.Equal(AppStatus.UndeployedApp, ReconcilePlanner.Plan(desired, lattice.State).Statuses["shop"]);
        Converge(lattice, desired);

        var state = lattice.State;
        Assert.Equal(["bystander"], state.Snapshot.Hosts.Values.SelectMany(h => h.Components.Keys));
        Assert.Empty(state.Snapshot.Hosts.Values.SelectMany(h => h.Providers.Keys));
        Assert.Empty(state.Links);
        Assert.Equal(["external"], state.Configs.Keys);
    }

    [Fact]
    public void Problems_name_the_spread_no_host_matches_and_no_hosts_means_waiting()
    {
        var plan = ReconcilePlanner.Plan(new DesiredLattice([Shop("v1")], []), new LatticeBuilder().Host("NA1", ("zone", "a")).State);
        var problem = Assert.Single(plan.Problems);
        Assert.Equal("Could not satisfy spread west for file:///hello.wasm, 0/1 eligible hosts found.", problem.Message);

        var empty = ReconcilePlanner.Plan(new DesiredLattice([Shop("v1")], []), new LatticeBuilder().State);
        Assert.Empty(empty.Commands);
        Assert.Equal(StatusInfo.Waiting("Lattice contains no hosts, deployment not started."), empty.Statuses["shop"].Status);
    }

    [Fact]
    public void A_waiting_scaler_sends_nothing_and_keeps_its_last_status()
    {
        var desired = new DesiredLattice([Shop("v1")], []);
        var lattice = Hosts().Config("shop-address", ("address", "127.0.0.1:8080"));
        var componentId = desired.Deployed[0].Scalers[0].Id;
        var plan = ReconcilePlanner.Plan(desired, lattice.State, id => new Backoff(id == componentId, null), _ => StatusInfo.Reconciling("Scaling component on 2 host(s)"));
        Assert.DoesNotContain(plan.Commands, c => c.ScalerId == componentId);
        Assert.Equal("Scaling component on 2 host(s)", plan.Statuses["shop"].Scalers!.Single(s => s.Id == componentId).Status.Message);

        var failed = ReconcilePlanner.Plan(desired, lattice.State, id => new Backoff(false, id == componentId ? "fetch failed" : null));
        Assert.Equal(StatusInfo.Failed("fetch failed"), failed.Statuses["shop"].Scalers!.Single(s => s.Id == componentId).Status);
    }
}
