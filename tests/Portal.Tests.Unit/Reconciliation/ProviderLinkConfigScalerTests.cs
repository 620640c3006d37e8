using Portal.Lattice.Control;
using Portal.Lattice.Observation;
using Portal.Lattice.Reconciliation;
using static Portal.Tests.Unit.Reconciliation.LatticeBuilder;

namespace Portal.Tests.Unit.Reconciliation;

public sealed class ProviderLinkConfigScalerTests
{
    private const string Http = "wasmcloud+builtin://http-server";

    private static ProviderSpreadScaler Provider(uint instances, params Spread[] spreads) => new()
    {
        AppName = "shop", ComponentName = "http", ProviderId = "shop-http", ImageRef = Http, Instances = instances, Spreads = spreads,
    };

    private static LatticeBuilder Hosts() => new LatticeBuilder().Host("NA1", ("zone", "a")).Host("NA2", ("zone", "a")).Host("NB1", ("zone", "b"));

    [Fact]
    public void Provider_spread_starts_one_per_host_up_to_instances()
    {
        var result = Provider(2).Reconcile(Hosts().State);
        var started = result.Commands.Cast<StartProvider>().Select(c => c.Host).ToList();
        Assert.Equal(2, started.Distinct().Count());
        Assert.Equal(started, Provider(2).Reconcile(Hosts().State).Commands.Cast<StartProvider>().Select(c => c.Host)); // the same choice every pass
        Assert.Equal("Scaling provider on 2 host(s)", result.Status.Message);
        var lattice = Hosts().Apply(result.Commands);
        Assert.Empty(Provider(2).Reconcile(lattice.State).Commands);
        Assert.Equal(StatusType.Deployed, Provider(2).Reconcile(lattice.State).Status.Type);
    }

    [Fact]
    public void Provider_spread_lacking_hosts_fails_in_wadms_words()
    {
        var result = Provider(3, Zone("east", "a")).Reconcile(Hosts().State);
        Assert.Equal(2, result.Commands.Count);
        Assert.Equal(StatusInfo.Failed($"Could not satisfy spread east for {Http}, 0/3 eligible hosts found."), result.Status);
    }

    [Fact]
    public void A_provider_someone_else_started_counts_and_is_never_stopped()
    {
        var lattice = Hosts().Provider("NA1", "shop-http", Http);
        Assert.Empty(Provider(1).Reconcile(lattice.State).Commands);
        Assert.Empty(Provider(1).Cleanup(lattice.State).Commands);
        Assert.Empty(Provider(0, Zone("east", "b")).Reconcile(lattice.State).Commands);
    }

    [Fact]
    public void Ours_on_an_ineligible_host_is_stopped_and_cleanup_stops_ours()
    {
        var scaler = Provider(1, Zone("east", "a"));
        var lattice = Hosts().Provider("NB1", "shop-http", Http, ScalerAnnotations.ForSpread("shop", scaler.Id, "east"));
        var result = scaler.Reconcile(lattice.State);
        Assert.Equal(new StopProvider("shop-http", "NB1"), Assert.Single(result.Commands));
        Assert.Equal("Found providers running on ineligible hosts, removing them.", result.Status.Message);

        var start = Assert.IsType<StartProvider>(Assert.Single(scaler.Reconcile(Hosts().State).Commands));
        var running = Hosts().Apply([start]);
        Assert.Equal(new StopProvider("shop-http", start.Host), Assert.Single(scaler.Cleanup(running.State).Commands));
    }

    [Fact]
    public void Unhealthy_provider_fails_and_recovers()
    {
        var scaler = Provider(1);
        var ours = ScalerAnnotations.ForSpread("shop", scaler.Id, "default");
        Assert.Equal(StatusInfo.Failed("Unhealthy provider on 1 host(s)"), scaler.Reconcile(Hosts().Provider("NA1", "shop-http", Http, ours, ProviderHealth.Unhealthy).State).Status);
        Assert.Equal(StatusInfo.Deployed(), scaler.Reconcile(Hosts().Provider("NA1", "shop-http", Http, ours, ProviderHealth.Healthy).State).Status);
    }

    [Fact]
    public void Provider_daemon_runs_on_every_matching_host()
    {
        var daemon = new ProviderDaemonScaler { AppName = "shop", ComponentName = "kv", ProviderId = "shop-kv", ImageRef = "wasmcloud+builtin://kv", Spreads = [Zone("kv", "a")] };
        var result = daemon.Reconcile(Hosts().State);
        Assert.Equal(["NA1", "NA2"], result.Commands.Select(c => c.HostId));
        var lattice = Hosts().Apply(result.Commands);
        Assert.Empty(daemon.Reconcile(lattice.State).Commands);
        Assert.Equal(2, daemon.Cleanup(lattice.State).Commands.Count);
        Assert.Equal("DaemonScaler", daemon.Kind);
    }

    private static LinkScaler Link() => new()
    {
        AppName = "shop", SourceId = "shop-http", TargetId = "shop-web", Namespace = "wasi", Package = "http",
        Interfaces = ["incoming-handler"], SourceConfigNames = ["shop-address"],
    };

    [Fact]
    public void Link_is_put_when_missing_and_deployed_when_present()
    {
        var put = Link().Reconcile(Hosts().State);
        var command = Assert.IsType<PutLink>(Assert.Single(put.Commands));
        Assert.Equal(StatusInfo.Reconciling("Putting link definition between shop-http and shop-web"), put.Status);
        Assert.Equal(["shop-address"], command.Link.SourceConfig);
        Assert.Equal("default", command.Link.Name);

        var linked = Hosts().Apply(put.Commands);
        Assert.Equal(ScalerResult.Deployed().Status, Link().Reconcile(linked.State).Status);
        Assert.Empty(Link().Reconcile(linked.State).Commands);
    }

    [Fact]
    public void Link_cleanup_deletes_only_an_existing_link_to_our_target()
    {
        var linked = Hosts().Apply(Link().Reconcile(Hosts().State).Commands);
        Assert.Equal(new DeleteLink("shop-http", "wasi", "http", "default"), Assert.Single(Link().Cleanup(linked.State).Commands));
        Assert.Empty(Link().Cleanup(Hosts().State).Commands);
        var elsewhere = Hosts().WithLink(Link().ToLink() with { Target = "other" });
        Assert.Empty(Link().Cleanup(elsewhere.State).Commands);
    }

    [Fact]
    public void Owned_config_is_put_when_missing_or_different_and_deleted_on_cleanup()
    {
        var config = new ConfigScaler { AppName = "shop", ConfigName = "shop-address", Properties = new Dictionary<string, string> { ["address"] = "127.0.0.1:8080" } };
        var missing = config.Reconcile(Hosts().State);
        Assert.Equal(StatusInfo.Reconciling("Configuration out of sync"), missing.Status);
        Assert.IsType<PutConfig>(Assert.Single(missing.Commands));
        Assert.Single(config.Reconcile(Hosts().Config("shop-address", ("address", "0.0.0.0:1")).State).Commands);

        var equal = Hosts().Config("shop-address", ("address", "127.0.0.1:8080"));
        Assert.Equal(ScalerResult.Deployed().Status, config.Reconcile(equal.State).Status);
        Assert.Empty(config.Reconcile(equal.State).Commands);
        Assert.Equal(new DeleteConfig("shop-address"), Assert.Single(config.Cleanup(equal.State).Commands));
        Assert.Empty(config.Cleanup(Hosts().State).Commands);
    }

    [Fact]
    public void External_config_must_exist_and_is_never_deleted()
    {
        var config = new ConfigScaler { AppName = "shop", ConfigName = "shared" };
        Assert.Equal(StatusInfo.Failed("Specified configuration shared does not exist"), config.Reconcile(Hosts().State).Status);
        var present = Hosts().Config("shared", ("k", "v"));
        Assert.Equal(StatusType.Deployed, config.Reconcile(present.State).Status.Type);
        Assert.Empty(config.Cleanup(present.State).Commands);
    }

    [Fact]
    public void Secret_reference_is_kept_as_a_secret_config()
    {
        var secret = new SecretScaler
        {
            AppName = "shop", SecretName = "SECRET_shop-db", PolicyName = "vault", PolicyType = "policy.secret.wasmcloud.dev/v1alpha1",
            PolicyProperties = new Dictionary<string, string> { ["backend"] = "nats-kv" }, PropertyName = "db", Key = "password",
        };
        var put = Assert.IsType<PutConfig>(Assert.Single(secret.Reconcile(Hosts().State).Commands));
        Assert.Equal("SECRET_shop-db", put.Name);
        Assert.Equal("nats-kv", put.Values["backend"]);
        Assert.Equal("SecretScaler", secret.Kind);
        Assert.Matches("^[0-9a-f]{64}$", secret.Id);
        Assert.Empty(secret.Reconcile(Hosts().Apply([put]).State).Commands);
    }
}
